import db from '@adonisjs/lucid/services/db'
import Deal from '#models/deal'
import Offer from '#models/offer'
import paymentsConfig from '#config/payments'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'
import { postLedgerTransaction } from '#services/ledger/post_ledger_transaction'
import { accounts, references } from '#services/ledger/accounts'
import { applyOnce } from '#services/payments/apply_once'
import { splitRelease } from '#services/payments/platform_fee'

/**
 * The brand accepts submitted work: escrow goes to the creator's available
 * balance, less the platform fee (PLATFORM_FEE_BPS, rounded down).
 */
export async function releaseEscrow(action: ActionContext, dealId: number) {
  return db.transaction(async (trx) => {
    const deal = await Deal.findOrFail(dealId, { client: trx })
    const { fee, creatorShare } = splitRelease(deal.amount, paymentsConfig.feeBps)
    const outcome = await applyOnce(
      trx,
      references.release(deal.id),
      () =>
        transitionStatus(trx, {
          table: 'deals',
          id: deal.id,
          from: ['submitted'],
          to: 'completed',
        }),
      async () => {
        await postLedgerTransaction(trx, {
          reference: references.release(deal.id),
          kind: 'release',
          dealId: deal.id,
          requestId: action.requestId,
          currency: deal.currency,
          entries: [
            { account: accounts.escrow(deal.id), amount: -deal.amount },
            { account: accounts.creatorAvailable(deal.creatorId), amount: creatorShare },
            { account: accounts.platformFees, amount: fee },
          ],
        })
        const offer = await Offer.findOrFail(deal.offerId, { client: trx })
        await recordEvent(trx, action, {
          type: 'deal.completed',
          aggregateType: 'deal',
          aggregateId: deal.id,
          payload: { ...dealPayload(deal, offer.title), fee, creatorShare },
        })
      }
    )
    return { deal: await Deal.findOrFail(deal.id, { client: trx }), outcome }
  })
}
