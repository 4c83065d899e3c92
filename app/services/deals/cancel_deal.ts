import db from '@adonisjs/lucid/services/db'
import Deal from '#models/deal'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'

/**
 * Cancelling before funding moves no money. Cancelling a funded deal is a
 * refund, which belongs to payments.
 */
export async function cancelDeal(action: ActionContext, deal: Deal) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, {
      table: 'deals',
      id: deal.id,
      from: ['awaiting_funding'],
      to: 'cancelled',
    })
    const offer = await Offer.findOrFail(deal.offerId, { client: trx })
    await recordEvent(trx, action, {
      type: 'deal.cancelled',
      aggregateType: 'deal',
      aggregateId: deal.id,
      payload: dealPayload(deal, offer.title),
    })
    return Deal.findOrFail(deal.id, { client: trx })
  })
}
