import db from '@adonisjs/lucid/services/db'
import OutboxEvent, { type OutboxStatus } from '#models/outbox_event'
import { paginate, type PageRequest } from '#services/pagination'
import { transitionStatus } from '#services/state/transition_status'
import { dbNow } from '#services/database/timestamps'

export function presentEvent(event: OutboxEvent) {
  return {
    id: event.id,
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    status: event.status,
    attempts: event.attempts,
    lastError: event.lastError,
    requestId: event.meta.requestId,
    nextAttemptAt: event.nextAttemptAt.toISO(),
    createdAt: event.createdAt.toISO(),
    processedAt: event.processedAt?.toISO() ?? null,
  }
}

/**
 * Outbox events by status for the admin (dead ones by default). Payloads
 * stay out: they name users.
 */
export async function listOutboxEvents(filters: PageRequest & { status?: OutboxStatus }) {
  const query = OutboxEvent.query().where('status', filters.status ?? 'dead')
  return paginate(query, filters, presentEvent)
}

/**
 * Gives a dead event a fresh set of attempts, due now.
 */
export async function retryDeadEvent(eventId: number) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, {
      table: 'outbox_events',
      id: eventId,
      from: ['dead'],
      to: 'pending',
      set: { attempts: 0, next_attempt_at: dbNow(trx), last_error: null },
      touchUpdatedAt: false,
    })
    return OutboxEvent.findOrFail(eventId, { client: trx })
  })
}
