import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type OutboxEvent from '#models/outbox_event'
import {
  NOTIFICATION_MAP,
  isKnownEventType,
  type NotificationRule,
} from '#services/notifications/notification_map'
import { dbNow } from '#services/database/timestamps'

export type NotifyOutcome = 'done' | 'skipped_unknown_type' | 'skipped_no_recipient'

/**
 * Turns one outbox event into its notifications, inside the transaction
 * that also marks the event handled. The unique (event, user) index makes a
 * second run of the same event a no-op.
 */
export async function notifyFromEvent(
  event: OutboxEvent,
  trx: TransactionClientContract
): Promise<NotifyOutcome> {
  if (!isKnownEventType(event.type)) {
    return 'skipped_unknown_type'
  }
  const rules = NOTIFICATION_MAP[event.type] as readonly NotificationRule[]
  if (rules.length === 0) {
    return 'done'
  }

  const addressed = rules
    .map((rule) => ({ rule, userId: Number(event.payload[`${rule.recipient}Id`]) }))
    .filter(({ userId }) => Number.isInteger(userId) && userId > 0)
  if (addressed.length === 0) {
    return 'skipped_no_recipient'
  }
  const targets = addressed.filter(({ userId }) => userId !== event.meta.actorId)
  if (targets.length === 0) {
    return 'done'
  }

  const existing = await trx
    .from('users')
    .whereIn(
      'id',
      targets.map(({ userId }) => userId)
    )
    .select('id')
  const existingIds = new Set(existing.map((row) => Number(row.id)))
  const now = dbNow(trx)
  const rows = targets
    .filter(({ userId }) => existingIds.has(userId))
    .map(({ rule, userId }) => ({
      user_id: userId,
      event_id: event.id,
      type: rule.notification,
      payload: JSON.stringify(event.payload),
      telegram: rule.telegram,
      created_at: now,
    }))
  if (rows.length === 0) {
    return 'skipped_no_recipient'
  }
  await trx
    .table('notifications')
    .insert(rows)
    .knexQuery.onConflict(['event_id', 'user_id'])
    .ignore()
  return 'done'
}
