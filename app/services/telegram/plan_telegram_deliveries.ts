import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import telegramConfig from '#config/telegram'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { activeChatsByUser } from '#services/telegram/bindings'
import {
  decideDelivery,
  type DeliveryCounter,
  type DeliveryCounters,
  type SendResult,
} from '#services/telegram/telegram_delivery_policy'

/**
 * Notifications are created in increasing id order, but transactions may
 * commit out of order; looking this many ids below the newest planned one
 * catches a late commit without rescanning the whole table each time.
 */
export const LOOKBACK_IDS = 5000

/**
 * How far below the newest planned id a wide pass looks, which the worker
 * makes when it starts and then once a minute: one outbox batch writes up
 * to 20 000 notifications (10 000 events, two recipients), so several
 * consumers' batches committing out of order can leave a late one further
 * behind than LOOKBACK_IDS. A wide pass costs a walk of this many ids.
 */
export const WIDE_LOOKBACK_IDS = 100_000

/**
 * Gives every new Telegram-bound notification its delivery row, at most
 * `limit` per call: `pending` to the chat of the user's active binding, or
 * `skipped` at once — not bound, or too old to be worth sending (a worker
 * started after a long stop does not flood users with stale news). The
 * unique notification_id keeps this safe to run in several workers.
 * Returns how many rows were written.
 */
export async function planTelegramDeliveries(
  limit: number,
  counters: DeliveryCounters,
  maxAgeMs = telegramConfig.delivery.maxAgeMs,
  lookbackIds = LOOKBACK_IDS
) {
  const newest = await db.from('telegram_deliveries').max('notification_id as id').first()
  const floor = Math.max(0, Number(newest?.id ?? 0) - lookbackIds)
  const cutoff = toDbTimestamp(DateTime.now().minus({ milliseconds: maxAgeMs }))
  const notifications = await db
    .from('notifications as n')
    .where('n.telegram', true)
    .where('n.id', '>', floor)
    .whereNotExists((planned) =>
      planned
        .from('telegram_deliveries as d')
        .whereColumn('d.notification_id', 'n.id')
        .select('d.id')
    )
    .orderBy('n.id', 'asc')
    .limit(limit)
    .select(
      'n.id',
      'n.user_id',
      db.raw('case when n.created_at < ? then 1 else 0 end as too_old', [cutoff])
    )
  if (notifications.length === 0) {
    return 0
  }

  const chats = await activeChatsByUser([
    ...new Set(notifications.map((row) => Number(row.user_id))),
  ])
  const now = dbNow()
  const skippedCounters = new Map<number, DeliveryCounter>()
  const rows = notifications.map((notification) => {
    const notificationId = Number(notification.id)
    const userId = Number(notification.user_id)
    const chatId = chats.get(userId) ?? null
    const unsendable: SendResult | null =
      Number(notification.too_old) === 1
        ? { kind: 'too_old' }
        : chatId === null
          ? { kind: 'not_bound' }
          : null
    const decision = unsendable ? decideDelivery(unsendable, 0) : null
    if (decision) {
      skippedCounters.set(notificationId, decision.counter)
    }
    return {
      notification_id: notificationId,
      user_id: userId,
      chat_id: chatId,
      status: decision?.status ?? 'pending',
      attempts: 0,
      next_attempt_at: now,
      last_error: decision?.lastError ?? null,
      created_at: now,
      updated_at: now,
    }
  })
  const inserted: Array<{ notification_id: number | string }> = await db
    .knexQuery()
    .table('telegram_deliveries')
    .insert(rows)
    .onConflict('notification_id')
    .ignore()
    .returning(['notification_id'])
  for (const row of inserted) {
    const counter = skippedCounters.get(Number(row.notification_id))
    if (counter) {
      counters[counter] += 1
    }
  }
  return notifications.length
}
