import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Deal from '#models/deal'
import Offer from '#models/offer'
import type { ChangeOrigin } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'
import { postFund } from '#services/payments/fund_deal'
import { postRefund } from '#services/deals/cancel_deal'

/**
 * A payment the provider confirms after the brand cancelled the unfunded
 * deal (a charge left pending, then a cancel). The brand's money did
 * arrive, so it is booked into the deal's escrow and refunded from it at
 * once, and the deal moves cancelled → refunded, in the caller's
 * transaction: the ledger shows the money in and back out, and the
 * provider's webhook gets an answer instead of a CONFLICT on every retry.
 */
export async function returnLatePayment(
  trx: TransactionClientContract,
  origin: ChangeOrigin,
  deal: Deal
) {
  await transitionStatus(trx, {
    table: 'deals',
    id: deal.id,
    from: ['cancelled'],
    to: 'refunded',
  })
  await postFund(trx, origin, deal)
  await postRefund(trx, origin, deal)
  const offer = await Offer.findOrFail(deal.offerId, { client: trx })
  await recordEvent(trx, origin, {
    type: 'deal.refunded',
    aggregateType: 'deal',
    aggregateId: deal.id,
    payload: dealPayload(deal, offer.title),
  })
  return { deal: await Deal.findOrFail(deal.id, { client: trx }), outcome: 'applied' as const }
}
