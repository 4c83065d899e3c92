import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import OutboxEvent from '#models/outbox_event'
import { notifyFromEvent } from '#services/notifications/notify_from_event'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { describeForLog } from '#exceptions/api_error'

export type OutboxCounters = {
  done: number
  skipped_unknown_type: number
  skipped_no_recipient: number
  retried: number
  dead: number
}

export const OUTBOX_RETRY = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  capDelayMs: 5 * 60_000,
}

export function emptyCounters(): OutboxCounters {
  return { done: 0, skipped_unknown_type: 0, skipped_no_recipient: 0, retried: 0, dead: 0 }
}

/**
 * Handles up to `limit` due events, oldest first, each in its own
 * transaction: a failing event is rescheduled (capped exponential backoff
 * with jitter, `dead` after the last attempt) and never stops the others.
 * Returns how many events it looked at, and what became of them.
 */
export async function consumeOutboxBatch(limit = 100, counters = emptyCounters()) {
  const due = await OutboxEvent.query()
    .where('status', 'pending')
    .where('next_attempt_at', '<=', dbNow())
    .orderBy('id', 'asc')
    .limit(limit)

  for (const event of due) {
    const log = logger.child({
      requestId: event.meta.requestId,
      eventId: event.id,
      type: event.type,
    })
    try {
      const outcome = await db.transaction(async (trx) => {
        const result = await notifyFromEvent(event, trx)
        await trx
          .from('outbox_events')
          .where('id', event.id)
          .where('status', 'pending')
          .update({
            status: result === 'done' ? 'done' : 'skipped',
            last_error: result === 'done' ? null : result,
            processed_at: dbNow(trx),
          })
        return result
      })
      counters[outcome] += 1
      log.info({ outcome }, 'outbox event handled')
    } catch (error) {
      const dead = await rescheduleAfterFailure(event, error)
      counters[dead ? 'dead' : 'retried'] += 1
      log.warn(
        { err: describeForLog(error), attempts: event.attempts + 1, dead },
        'outbox event failed'
      )
    }
  }
  return { seen: due.length, counters }
}

async function rescheduleAfterFailure(event: OutboxEvent, error: unknown) {
  const attempts = event.attempts + 1
  const dead = attempts >= OUTBOX_RETRY.maxAttempts
  const delay = Math.min(OUTBOX_RETRY.capDelayMs, OUTBOX_RETRY.baseDelayMs * 2 ** (attempts - 1))
  const jittered = delay / 2 + Math.random() * (delay / 2)
  await db
    .from('outbox_events')
    .where('id', event.id)
    .update({
      attempts,
      status: dead ? 'dead' : 'pending',
      last_error: String(describeForLog(error).message).slice(0, 1000),
      next_attempt_at: toDbTimestamp(DateTime.now().plus({ milliseconds: jittered })),
    })
  return dead
}
