import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Deal from '#models/deal'
import type Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { recordEvent, type NewEvent } from '#services/outbox/record_event'
import { assertNoDealYet } from '#services/deals/one_deal_per_creator'

/**
 * A deal is born inside the transaction that approves an application or
 * accepts an invite. Its amount is the offer's budget; the unique index on
 * application_id / invite_id makes "one deal per origin" a database fact.
 * The origin's own event (approved, accepted) is recorded here, after the
 * insert, so that it carries the new deal's id: the notification it
 * becomes says the deal is open and leads to it.
 */
export async function openDeal(
  trx: TransactionClientContract,
  action: ActionContext,
  offer: Offer,
  creatorId: number,
  origin: { applicationId: number } | { inviteId: number },
  originEvent: NewEvent
) {
  await assertNoDealYet(trx, offer.id, creatorId)
  const deal = await Deal.create(
    {
      offerId: offer.id,
      brandId: offer.brandId,
      creatorId,
      applicationId: 'applicationId' in origin ? origin.applicationId : null,
      inviteId: 'inviteId' in origin ? origin.inviteId : null,
      amount: offer.budget,
      currency: offer.currency,
      status: 'awaiting_funding',
    },
    { client: trx }
  )
  await recordEvent(trx, action, {
    ...originEvent,
    payload: { ...originEvent.payload, dealId: deal.id },
  })
  await recordEvent(trx, action, {
    type: 'deal.created',
    aggregateType: 'deal',
    aggregateId: deal.id,
    payload: dealPayload(deal, offer.title),
  })
  return deal
}

export function dealPayload(deal: Deal, offerTitle: string) {
  return {
    dealId: deal.id,
    offerId: deal.offerId,
    offerTitle,
    brandId: deal.brandId,
    creatorId: deal.creatorId,
    amount: deal.amount,
    currency: deal.currency,
  }
}
