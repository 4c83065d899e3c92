import type { I18n } from '@adonisjs/i18n'
import { formatMoney } from '#services/format_money'
import { notificationPath } from '#services/notifications/notification_link'

type NotificationItem = { type: string; payload: Record<string, unknown> }

/**
 * A notification in words: the type's sentence from
 * resources/lang/ru/notifications.json with the payload's title or amount.
 */
export function describeNotification(i18n: I18n, item: NotificationItem) {
  const key = `notifications.types.${item.type}`
  const text = i18n.hasMessage(key)
    ? i18n.t(key, {
        offerTitle: String(item.payload.offerTitle ?? '—'),
        amount: formatMoney(item.payload.amount, item.payload.currency),
      })
    : i18n.t('notifications.types.other')
  return { text, href: notificationPath(item.type, item.payload) }
}
