import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import workersConfig from '#config/workers'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type OutboxEvent from '#models/outbox_event'
import { notifyFromEvents, type NotifyOutcome } from '#services/notifications/notify_from_event'
import { claimOutboxBatch } from '#services/outbox/claim_outbox_batch'
import { dbNow, toDbTimestamp, notBefore } from '#services/database/timestamps'
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
 * Claims up to `limit` due events and handles them: all in one transaction
 * when that succeeds (the common case), otherwise each in its own. A
 * failing event is rescheduled with capped exponential backoff and jitter,
 * `dead` after the last attempt, and never stops the others. Each event's
 * log lines carry the request id from its meta.
 */
export async function consumeOutboxBatch(
  limit = 100,
  counters = emptyCounters(),
  consumer = consumerName()
) {
  const claimed = await claimOutboxBatch(consumer, limit)
  if (claimed.length > 0 && !(await handleTogether(claimed, consumer, counters))) {
    for (const event of claimed) {
      await handleEvent(event, consumer, counters)
    }
  }
  return { seen: claimed.length, counters }
}

function logFor(event: OutboxEvent) {
  return logger.child({ requestId: event.meta.requestId, eventId: event.id, type: event.type })
}

/**
 * The whole batch in one transaction: one lookup of the recipients, one
 * insert and one update per outcome, instead of five statements and a
 * commit for every event. When anything fails nothing is kept, and the
 * caller handles the events one by one, which sets the failing one apart.
 */
async function handleTogether(events: OutboxEvent[], consumer: string, counters: OutboxCounters) {
  let outcomes: NotifyOutcome[]
  try {
    outcomes = await db.transaction(async (trx) => {
      const results = await notifyFromEvents(events, trx)
      for (const outcome of new Set(results)) {
        const ids = events.filter((_, index) => results[index] === outcome).map(({ id }) => id)
        await markHandled(trx, ids, consumer, outcome)
      }
      return results
    })
  } catch (error) {
    logger.info(
      { err: describeForLog(error), events: events.length },
      'outbox batch failed as a whole: handling its events one by one'
    )
    return false
  }
  events.forEach((event, index) => {
    counters[outcomes[index]] += 1
    logFor(event).info({ outcome: outcomes[index] }, 'outbox event handled')
  })
  return true
}

async function handleEvent(event: OutboxEvent, consumer: string, counters: OutboxCounters) {
  const log = logFor(event)
  try {
    const outcome = await db.transaction(async (trx) => {
      const [result] = await notifyFromEvents([event], trx)
      await markHandled(trx, [event.id], consumer, result)
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
 * Marks events `done` or `skipped`, only those this consumer still holds.
 */
function markHandled(
  trx: TransactionClientContract,
  ids: number[],
  consumer: string,
  outcome: NotifyOutcome
) {
  return trx
    .from('outbox_events')
    .whereIn('id', ids)
    .where({ status: 'processing', claimed_by: consumer })
    .update({
      status: outcome === 'done' ? 'done' : 'skipped',
      last_error: outcome === 'done' ? null : outcome,
      processed_at: dbNow(trx),
      claimed_by: null,
      claimed_until: null,
    })
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
      next_attempt_at: toDbTimestamp(
        notBefore(DateTime.now().plus({ milliseconds: retryDelayMs(attempts) }))
      ),
      claimed_by: null,
      claimed_until: null,
    })
  return dead
}
