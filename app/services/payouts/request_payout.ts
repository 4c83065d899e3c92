import db from '@adonisjs/lucid/services/db'
import PayoutRequest from '#models/payout_request'
import type { ActionContext } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'
import { formatMoney } from '#services/format_money'
import { recordEvent } from '#services/outbox/record_event'
import { accounts } from '#services/ledger/accounts'
import { accountBalance } from '#services/ledger/post_ledger_transaction'
import { lockUser } from '#services/payments/apply_once'
import { payoutPayload } from '#services/payouts/payout_payload'

/**
 * A creator asks to withdraw part of their available balance. Nothing moves
 * yet; requests still waiting for an admin count against what is available,
 * so two requests cannot promise the same money. Under an Idempotency-Key
 * claim the request is made once: run again under the same claim, it
 * returns the payout it made.
 */
export async function requestPayout(
  action: ActionContext,
  amount: number,
  idempotencyKeyId: number | null = null
) {
  return db.transaction(async (trx) => {
    const creatorId = action.actor.id
    await lockUser(trx, creatorId)
    if (idempotencyKeyId !== null) {
      const made = await PayoutRequest.query({ client: trx })
        .where('idempotency_key_id', idempotencyKeyId)
        .first()
      if (made) {
        return made
      }
    }
    const available = await accountBalance(trx, accounts.creatorAvailable(creatorId))
    const waiting = await trx
      .from('payout_requests')
      .where({ creator_id: creatorId, status: 'requested' })
      .sum('amount as total')
      .first()
    const free = available - Number(waiting?.total ?? 0)
    if (amount > free) {
      throw new DomainError('CONFLICT', {
        message: errorReason('payout_above_available', { available: formatMoney(free) }),
      })
    }
    const payout = await PayoutRequest.create(
      {
        creatorId,
        amount,
        currency: 'RUB',
        status: 'requested',
        idempotencyKeyId,
      },
      { client: trx }
    )
    await recordEvent(trx, action, {
      type: 'payout.requested',
      aggregateType: 'payout',
      aggregateId: payout.id,
      payload: payoutPayload(payout),
    })
    return payout
  })
}
