import db from '@adonisjs/lucid/services/db'
import PayoutRequest from '#models/payout_request'
import type { ActionContext } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'
import { formatMoney } from '#services/format_money'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { accounts, references } from '#services/ledger/accounts'
import { accountBalance, postLedgerTransaction } from '#services/ledger/post_ledger_transaction'
import { applyOnce, lockUser } from '#services/payments/apply_once'
import { payoutPayload } from '#services/payouts/payout_payload'

/**
 * Admin approves a payout: the amount moves from the creator's available
 * balance to their payout hold. Refused when the balance no longer covers it.
 */
export async function approvePayout(action: ActionContext, payoutId: number) {
  return db.transaction(async (trx) => {
    const payout = await PayoutRequest.findOrFail(payoutId, { client: trx })
    await lockUser(trx, payout.creatorId)
    const outcome = await applyOnce(
      trx,
      references.payoutApprove(payout.id),
      () =>
        transitionStatus(trx, {
          table: 'payout_requests',
          id: payout.id,
          from: ['requested'],
          to: 'approved',
        }),
      async () => {
        const available = await accountBalance(trx, accounts.creatorAvailable(payout.creatorId))
        if (available < payout.amount) {
          throw new DomainError('CONFLICT', {
            message: errorReason('creator_balance_short', { available: formatMoney(available) }),
          })
        }
        await postLedgerTransaction(trx, {
          reference: references.payoutApprove(payout.id),
          kind: 'payout_approve',
          payoutId: payout.id,
          requestId: action.requestId,
          currency: payout.currency,
          entries: [
            { account: accounts.creatorAvailable(payout.creatorId), amount: -payout.amount },
            { account: accounts.creatorHold(payout.creatorId), amount: payout.amount },
          ],
        })
        await recordEvent(trx, action, {
          type: 'payout.approved',
          aggregateType: 'payout',
          aggregateId: payout.id,
          payload: payoutPayload(payout),
        })
      }
    )
    return { payout: await PayoutRequest.findOrFail(payout.id, { client: trx }), outcome }
  })
}

/**
 * Admin marks an approved payout as paid out: hold → external:payouts.
 */
export async function markPayoutPaid(action: ActionContext, payoutId: number) {
  return db.transaction(async (trx) => {
    const payout = await PayoutRequest.findOrFail(payoutId, { client: trx })
    const outcome = await applyOnce(
      trx,
      references.payoutPaid(payout.id),
      () =>
        transitionStatus(trx, {
          table: 'payout_requests',
          id: payout.id,
          from: ['approved'],
          to: 'paid',
        }),
      async () => {
        await postLedgerTransaction(trx, {
          reference: references.payoutPaid(payout.id),
          kind: 'payout_paid',
          payoutId: payout.id,
          requestId: action.requestId,
          currency: payout.currency,
          entries: [
            { account: accounts.creatorHold(payout.creatorId), amount: -payout.amount },
            { account: accounts.payouts, amount: payout.amount },
          ],
        })
        await recordEvent(trx, action, {
          type: 'payout.paid',
          aggregateType: 'payout',
          aggregateId: payout.id,
          payload: payoutPayload(payout),
        })
      }
    )
    return { payout: await PayoutRequest.findOrFail(payout.id, { client: trx }), outcome }
  })
}

/**
 * Admin rejects a payout. A requested one just ends; an approved one gives
 * its hold back to the available balance. Rejecting a rejected payout
 * replays it.
 */
export async function rejectPayout(action: ActionContext, payoutId: number) {
  return db.transaction(async (trx) => {
    const payout = await PayoutRequest.findOrFail(payoutId, { client: trx })
    if (payout.status === 'rejected') {
      return { payout, outcome: 'replayed' as const }
    }
    const event = async () =>
      recordEvent(trx, action, {
        type: 'payout.rejected',
        aggregateType: 'payout',
        aggregateId: payout.id,
        payload: payoutPayload(payout),
      })

    let outcome: 'applied' | 'replayed'
    if (payout.status === 'requested') {
      try {
        await transitionStatus(trx, {
          table: 'payout_requests',
          id: payout.id,
          from: ['requested'],
          to: 'rejected',
        })
      } catch (error) {
        const current = await PayoutRequest.findOrFail(payout.id, { client: trx })
        if (error instanceof DomainError && current.status === 'rejected') {
          return { payout: current, outcome: 'replayed' as const }
        }
        throw error
      }
      await event()
      outcome = 'applied'
    } else {
      outcome = await applyOnce(
        trx,
        references.payoutReject(payout.id),
        () =>
          transitionStatus(trx, {
            table: 'payout_requests',
            id: payout.id,
            from: ['approved'],
            to: 'rejected',
          }),
        async () => {
          await postLedgerTransaction(trx, {
            reference: references.payoutReject(payout.id),
            kind: 'payout_reject',
            payoutId: payout.id,
            requestId: action.requestId,
            currency: payout.currency,
            entries: [
              { account: accounts.creatorHold(payout.creatorId), amount: -payout.amount },
              { account: accounts.creatorAvailable(payout.creatorId), amount: payout.amount },
            ],
          })
          await event()
        }
      )
    }
    return { payout: await PayoutRequest.findOrFail(payout.id, { client: trx }), outcome }
  })
}
