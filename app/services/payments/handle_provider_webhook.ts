import { createHmac, timingSafeEqual } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@adonisjs/lucid'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Deal from '#models/deal'
import paymentsConfig from '#config/payments'
import { DomainError } from '#exceptions/domain_error'
import { bookFunding } from '#services/payments/fund_deal'
import { returnLatePayment } from '#services/payments/return_late_payment'
import { findLockedIn } from '#services/database/row_lock'
import { dbNow } from '#services/database/timestamps'
import { errorReason } from '#exceptions/error_reasons'

export type ProviderEvent = {
  eventId: string
  type: 'payment.succeeded'
  dealId: number
  amount: number
}

/**
 * `X-Payment-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with
 * PAYMENTS_WEBHOOK_SECRET. Without a configured secret nothing verifies.
 */
export function verifyProviderSignature(rawBody: string, header: string | undefined) {
  const secret = paymentsConfig.webhookSecret
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '')
  if (!secret || !match) {
    return false
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest()
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'))
}

export function signProviderPayload(rawBody: string, secret: string) {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`
}

/**
 * Books a provider's payment confirmation once per provider event id: the
 * event row and the funding commit together, and a replayed delivery finds
 * the row and changes nothing. The funding's ledger transaction and event
 * carry the webhook request's id; no user is its actor. A payment for a
 * deal the brand cancelled meanwhile is booked and refunded at once
 * (`returnLatePayment`): the deal row is locked first, so a cancel either
 * commits before that choice or waits for the funding.
 */
export async function handleProviderEvent(event: ProviderEvent, requestId: string | null) {
  return db.transaction(async (trx) => {
    // Only the event's own row makes a replay: any other unique violation
    // in the booking is a failure the provider must keep retrying.
    const recorded = await trx
      .knexQuery()
      .table('payment_provider_events')
      .insert({
        provider: paymentsConfig.provider,
        event_id: event.eventId,
        type: event.type,
        created_at: dbNow(trx),
      })
      .onConflict(['provider', 'event_id'])
      .ignore()
      .returning('event_id')
    if (recorded.length === 0) {
      const deal = await Deal.find(event.dealId, { client: trx })
      return { duplicate: true, outcome: 'replayed' as const, dealStatus: deal?.status ?? null }
    }
    const deal = await lockedDeal(trx, event.dealId)
    if (deal.amount !== event.amount) {
      throw new DomainError('CONFLICT', { message: errorReason('payment_amount_mismatch') })
    }
    const origin = { actor: null, requestId }
    const { deal: booked, outcome } =
      deal.status === 'cancelled'
        ? await returnLatePayment(trx, origin, deal)
        : await bookFunding(trx, origin, deal.id)
    return { duplicate: false, outcome, dealStatus: booked.status }
  })
}

async function lockedDeal(trx: TransactionClientContract, dealId: number) {
  try {
    return await findLockedIn(Deal, trx, dealId, 'update')
  } catch (error) {
    if (error instanceof errors.E_ROW_NOT_FOUND) {
      throw new DomainError('NOT_FOUND', { message: errorReason('deal_not_found') })
    }
    throw error
  }
}
