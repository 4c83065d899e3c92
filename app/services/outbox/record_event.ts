import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ChangeOrigin } from '#services/action_context'
import type { EventType } from '#services/notifications/notification_map'
import { dbNow } from '#services/database/timestamps'

export type NewEvent = {
  type: EventType
  aggregateType: 'offer' | 'application' | 'invite' | 'deal' | 'payout'
  aggregateId: number
  payload: Record<string, unknown>
}

/**
 * Writes a domain event inside the transaction of the change it describes:
 * the change and its event commit together or not at all.
 */
export async function recordEvent(
  trx: TransactionClientContract,
  origin: ChangeOrigin | null,
  event: NewEvent
) {
  const now = dbNow(trx)
  await trx.table('outbox_events').insert({
    type: event.type,
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    payload: JSON.stringify(event.payload),
    meta: JSON.stringify({
      requestId: origin?.requestId ?? null,
      actorId: origin?.actor?.id ?? null,
    }),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  })
}
