import type { I18n } from '@adonisjs/i18n'
import { formatMoney } from '#services/format_money'

type NotificationItem = { type: string; payload: Record<string, unknown> }

/**
 * Where each notification type leads: the record it is about.
 */
function linkOf({ type, payload }: NotificationItem): string | null {
  if (payload.dealId) {
    return `/deals/${Number(payload.dealId)}`
  }
  if (type.startsWith('payout_')) {
    return '/balance'
  }
  if (type === 'application_approved' || type === 'application_rejected') {
    return '/applications'
  }
  if (payload.offerId) {
    return `/offers/${Number(payload.offerId)}`
  }
  return null
}

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
  return { text, href: linkOf(item) }
}
