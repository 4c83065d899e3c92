import db from '@adonisjs/lucid/services/db'
import Deal from '#models/deal'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'
import { dbNow } from '#services/database/timestamps'

/**
 * The brand sends submitted work back (the deal returns to `funded`) with a
 * reason, kept on the revision it answers.
 */
export async function requestChanges(action: ActionContext, deal: Deal, reason: string) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, { table: 'deals', id: deal.id, from: ['submitted'], to: 'funded' })
    const latest = await trx
      .from('deal_submissions')
      .where('deal_id', deal.id)
      .orderBy('revision', 'desc')
      .first()
    await trx
      .from('deal_submissions')
      .where('id', latest.id)
      .update({ change_request: reason, changes_requested_at: dbNow(trx) })
    const offer = await Offer.findOrFail(deal.offerId, { client: trx })
    await recordEvent(trx, action, {
      type: 'deal.changes_requested',
      aggregateType: 'deal',
      aggregateId: deal.id,
      payload: { ...dealPayload(deal, offer.title), revision: latest.revision, reason },
    })
    return Deal.findOrFail(deal.id, { client: trx })
  })
}
