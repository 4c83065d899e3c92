import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import telegramConfig from '#config/telegram'
import { toDbTimestamp } from '#services/database/timestamps'
import { INTERRUPTED } from '#services/telegram/telegram_delivery_policy'
import { unblockedUserIds } from '#services/telegram/bindings'

export type ClaimedDelivery = {
  id: number
  notificationId: number
  userId: number
  chatId: number
  attempts: number
  type: string
  payload: Record<string, unknown>
  requestId: string | null
}

export function deliveryWorkerName() {
  return `telegram:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

function affectedRows(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result)
}

/**
 * Claims up to `limit` due deliveries for this worker until the lease ends,
 * in one short transaction: pending, past their next attempt, and not held
 * by a live claim. On PostgreSQL the candidates are locked FOR UPDATE SKIP
 * LOCKED, so workers side by side never claim the same delivery. A claim
 * is only a reservation: the delivery stays `pending` until the moment it
 * is sent (markSending), so a worker that dies holding claims loses none.
 * Only each chat's oldest due delivery is a candidate, and none of a chat
 * with a delivery in flight, here (`busyChats`) or at another worker (one
 * being sent, or claimed and not yet sent): one chat's backlog, however
 * long, takes one place in a batch and never keeps other chats' messages
 * out of it, and a chat gets one message at a time across workers.
 */
export async function claimDueDeliveries(
  worker: string,
  limit: number,
  busyChats: Iterable<number> = [],
  leaseMs = telegramConfig.delivery.leaseMs
): Promise<ClaimedDelivery[]> {
  const now = DateTime.now()
  const busy = [...busyChats]
  const ids = await db.transaction(async (trx) => {
    const nowDb = toDbTimestamp(now, trx)
    const dueAndFree = (rows: DatabaseQueryBuilderContract, table: string) =>
      rows
        .where(`${table}.status`, 'pending')
        .where(`${table}.next_attempt_at`, '<=', nowDb)
        .where((free) =>
          free.whereNull(`${table}.claimed_until`).orWhere(`${table}.claimed_until`, '<', nowDb)
        )
    const candidates = dueAndFree(trx.from('telegram_deliveries as d'), 'd')
      .whereNotExists((earlier) =>
        dueAndFree(earlier.from('telegram_deliveries as e'), 'e')
          .whereColumn('e.chat_id', 'd.chat_id')
          .where((before) =>
            before
              .whereColumn('e.next_attempt_at', '<', 'd.next_attempt_at')
              .orWhere((tie) =>
                tie
                  .whereColumn('e.next_attempt_at', '=', 'd.next_attempt_at')
                  .whereColumn('e.id', '<', 'd.id')
              )
          )
          .select('e.id')
      )
      .whereNotExists((held) =>
        held
          .from('telegram_deliveries as h')
          .whereColumn('h.chat_id', 'd.chat_id')
          .where((inFlight) =>
            inFlight
              .where('h.status', 'sending')
              .orWhere((claimed) =>
                claimed.where('h.status', 'pending').where('h.claimed_until', '>=', nowDb)
              )
          )
          .select('h.id')
      )
      .orderBy('d.next_attempt_at', 'asc')
      .orderBy('d.id', 'asc')
      .limit(limit)
      .select('d.id')
    if (busy.length > 0) {
      candidates.whereNotIn('d.chat_id', busy)
    }
    if (trx.dialect.name === 'postgres') {
      candidates.forUpdate().skipLocked()
    }
    const rows = await candidates
    const chosen = rows.map((row) => Number(row.id))
    if (chosen.length > 0) {
      await trx
        .from('telegram_deliveries')
        .whereIn('id', chosen)
        .update({
          claimed_by: worker,
          claimed_until: toDbTimestamp(now.plus({ milliseconds: leaseMs }), trx),
        })
    }
    return chosen
  })
  if (ids.length === 0) {
    return []
  }
  const rows = await db
    .from('telegram_deliveries as d')
    .join('notifications as n', 'n.id', 'd.notification_id')
    .leftJoin('outbox_events as e', 'e.id', 'n.event_id')
    .whereIn('d.id', ids)
    .orderBy('d.next_attempt_at', 'asc')
    .orderBy('d.id', 'asc')
    .select(
      'd.id',
      'd.notification_id',
      'd.user_id',
      'd.chat_id',
      'd.attempts',
      'n.type',
      'n.payload',
      'e.meta'
    )
  return rows.map((row) => ({
    id: Number(row.id),
    notificationId: Number(row.notification_id),
    userId: Number(row.user_id),
    chatId: Number(row.chat_id),
    attempts: Number(row.attempts),
    type: row.type,
    payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    requestId: requestIdOf(row.meta),
  }))
}

function requestIdOf(meta: unknown): string | null {
  const parsed = typeof meta === 'string' ? JSON.parse(meta) : meta
  return typeof parsed?.requestId === 'string' ? parsed.requestId : null
}

/**
 * The step that makes delivery at most once: the delivery becomes `sending`
 * (one more attempt, lease renewed) and that is committed before the
 * request goes out. Only while the chat is still bound to the user: a
 * delivery waits in its chat's turn, or for a retry, and meanwhile the user
 * may have sent /stop, blocked the bot, an admin may have blocked the
 * account, or the chat may have been bound to another account; then it is
 * `not_bound` and must not be sent. `lost` when
 * this worker no longer holds the claim.
 */
export async function markSending(
  delivery: ClaimedDelivery,
  worker: string,
  leaseMs = telegramConfig.delivery.leaseMs
): Promise<'sending' | 'not_bound' | 'lost'> {
  const now = DateTime.now()
  const held = { id: delivery.id, status: 'pending', claimed_by: worker }
  const updated = await db
    .from('telegram_deliveries')
    .where(held)
    .whereExists((binding) =>
      binding
        .from('telegram_bindings')
        .whereColumn('telegram_bindings.user_id', 'telegram_deliveries.user_id')
        .whereColumn('telegram_bindings.chat_id', 'telegram_deliveries.chat_id')
        .where('telegram_bindings.status', 'active')
        .whereIn('telegram_bindings.user_id', unblockedUserIds())
        .select('telegram_bindings.id')
    )
    .update({
      status: 'sending',
      attempts: delivery.attempts + 1,
      claimed_until: toDbTimestamp(now.plus({ milliseconds: leaseMs })),
      updated_at: toDbTimestamp(now),
    })
  if (affectedRows(updated) === 1) {
    return 'sending'
  }
  const stillHeld = await db.from('telegram_deliveries').where(held).select('id').first()
  return stillHeld ? 'not_bound' : 'lost'
}

/**
 * Gives back a claimed delivery that was never sent (the worker is
 * stopping), so that the next worker takes it at once.
 */
export async function releaseClaim(delivery: ClaimedDelivery, worker: string) {
  await db
    .from('telegram_deliveries')
    .where({ id: delivery.id, status: 'pending', claimed_by: worker })
    .update({ claimed_by: null, claimed_until: null })
}

/**
 * Deliveries still `sending` after their lease: their worker died between
 * the request and recording the answer, so Telegram may or may not have
 * the message. They end `failed` (`interrupted`) and are never sent again.
 */
export async function failInterruptedDeliveries() {
  const now = DateTime.now()
  const updated = await db
    .from('telegram_deliveries')
    .where('status', 'sending')
    .where('claimed_until', '<', toDbTimestamp(now))
    .update({
      status: 'failed',
      last_error: INTERRUPTED,
      claimed_by: null,
      claimed_until: null,
      updated_at: toDbTimestamp(now),
    })
  return affectedRows(updated)
}
