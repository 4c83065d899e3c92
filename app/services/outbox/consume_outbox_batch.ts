import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import workersConfig from '#config/workers'
import type OutboxEvent from '#models/outbox_event'
import { notifyFromEvent } from '#services/notifications/notify_from_event'
import { claimOutboxBatch } from '#services/outbox/claim_outbox_batch'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { describeForLog } from '#exceptions/api_error'

export type OutboxCounters = {
  done: number
  skipped_unknown_type: number
  skipped_no_recipient: number
  retried: number
  dead: number
}

export function emptyCounters(): OutboxCounters {
  return { done: 0, skipped_unknown_type: 0, skipped_no_recipient: 0, retried: 0, dead: 0 }
}

export function consumerName() {
  return `outbox:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

/**
 * Claims up to `limit` due events and handles each in its own transaction.
 * A failing event is rescheduled with capped exponential backoff and
 * jitter, `dead` after the last attempt, and never stops the others. Each
 * event's log lines carry the request id from its meta.
 */
export async function consumeOutboxBatch(
  limit = 100,
  counters = emptyCounters(),
  consumer = consumerName()
) {
  const claimed = await claimOutboxBatch(consumer, limit)
  for (const event of claimed) {
    await handleEvent(event, consumer, counters)
  }
  return { seen: claimed.length, counters }
}

async function handleEvent(event: OutboxEvent, consumer: string, counters: OutboxCounters) {
  const log = logger.child({ requestId: event.meta.requestId, eventId: event.id, type: event.type })
  try {
    const outcome = await db.transaction(async (trx) => {
      const result = await notifyFromEvent(event, trx)
      await trx
        .from('outbox_events')
        .where({ id: event.id, status: 'processing', claimed_by: consumer })
        .update({
          status: result === 'done' ? 'done' : 'skipped',
          last_error: result === 'done' ? null : result,
          processed_at: dbNow(trx),
          claimed_by: null,
          claimed_until: null,
        })
      return result
    })
    counters[outcome] += 1
    log.info({ outcome }, 'outbox event handled')
  } catch (error) {
    const dead = await rescheduleAfterFailure(event, consumer, error)
    counters[dead ? 'dead' : 'retried'] += 1
    log.warn(
      { err: describeForLog(error), attempts: event.attempts + 1, dead },
      'outbox event failed'
    )
  }
}

/**
 * Delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped, then
 * jittered into [delay/2, delay] so that failed events do not retry in step.
 */
export function retryDelayMs(attempts: number, random = Math.random) {
  const { backoffBaseMs, backoffCapMs } = workersConfig.outbox
  const delay = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.min(attempts - 1, 30))
  return Math.round(delay / 2 + random() * (delay / 2))
}

async function rescheduleAfterFailure(event: OutboxEvent, consumer: string, error: unknown) {
  const attempts = event.attempts + 1
  const dead = attempts >= workersConfig.outbox.maxAttempts
  await db
    .from('outbox_events')
    .where({ id: event.id, claimed_by: consumer })
    .update({
      attempts,
      status: dead ? 'dead' : 'pending',
      last_error: String(describeForLog(error).message).slice(0, 1000),
      next_attempt_at: toDbTimestamp(DateTime.now().plus({ milliseconds: retryDelayMs(attempts) })),
      claimed_by: null,
      claimed_until: null,
    })
  return dead
}
