import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type OutboxEvent from '#models/outbox_event'
import {
  NOTIFICATION_MAP,
  isKnownEventType,
  type NotificationRule,
} from '#services/notifications/notification_map'
import { dbNow } from '#services/database/timestamps'

export type NotifyOutcome = 'done' | 'skipped_unknown_type' | 'skipped_no_recipient'

type Target = { rule: NotificationRule; userId: number }

/**
 * Whom an event notifies, before the users are looked up: the targets, or
 * the outcome when there is nobody to notify.
 */
function targetsOf(event: OutboxEvent): Target[] | NotifyOutcome {
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
  return targets.length === 0 ? 'done' : targets
}

async function existingUserIds(trx: TransactionClientContract, userIds: number[]) {
  if (userIds.length === 0) {
    return new Set<number>()
  }
  const rows = await trx
    .from('users')
    .whereIn('id', [...new Set(userIds)])
    .select('id')
  return new Set(rows.map((row) => Number(row.id)))
}

/**
 * Turns outbox events into their notifications, inside the transaction
 * that also marks them handled, with one lookup of the recipients and
 * inserts of INSERT_CHUNK_ROWS notifications each. The unique (event, user) index makes a second
 * run of the same event a no-op. Returns each event's outcome, in order.
 */
export async function notifyFromEvents(
  events: OutboxEvent[],
  trx: TransactionClientContract
): Promise<NotifyOutcome[]> {
  const planned = events.map(targetsOf)
  const existingIds = await existingUserIds(
    trx,
    planned.flatMap((plan) => (typeof plan === 'string' ? [] : plan.map(({ userId }) => userId)))
  )
  const now = dbNow(trx)
  const rows: Record<string, unknown>[] = []
  const outcomes = planned.map((plan, index): NotifyOutcome => {
    if (typeof plan === 'string') {
      return plan
    }
    const event = events[index]
    const reachable = plan.filter(({ userId }) => existingIds.has(userId))
    if (reachable.length === 0) {
      return 'skipped_no_recipient'
    }
    for (const { rule, userId } of reachable) {
      rows.push({
        user_id: userId,
        event_id: event.id,
        type: rule.notification,
        payload: JSON.stringify(event.payload),
        telegram: rule.telegram,
        created_at: now,
      })
    }
    return 'done'
  })
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
    await trx
      .table('notifications')
      .insert(rows.slice(start, start + INSERT_CHUNK_ROWS))
      .knexQuery.onConflict(['event_id', 'user_id'])
      .ignore()
  }
  return outcomes
}

/**
 * Rows per INSERT statement. The largest batch (10 000 events, two
 * recipients each) is 20 000 rows, 120 000 parameters; PostgreSQL takes at
 * most 65 535 parameters in a statement, and SQLite, where the multi-row
 * insert is a compound SELECT, at most 500 rows.
 */
const INSERT_CHUNK_ROWS = 500
