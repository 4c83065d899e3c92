import db from '@adonisjs/lucid/services/db'
import Deal from '#models/deal'
import DealSubmission from '#models/deal_submission'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'

/**
 * The creator hands in work on a funded deal; each hand-in is a new
 * revision, so change requests and answers stay on record.
 */
export async function submitWork(
  action: ActionContext,
  deal: Deal,
  input: { url: string; note?: string }
) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, { table: 'deals', id: deal.id, from: ['funded'], to: 'submitted' })
    const last = await trx
      .from('deal_submissions')
      .where('deal_id', deal.id)
      .max('revision as latest')
      .first()
    const revision = Number(last?.latest ?? 0) + 1
    const submission = await DealSubmission.create(
      { dealId: deal.id, revision, url: input.url, note: input.note ?? null },
      { client: trx }
    )
    const offer = await Offer.findOrFail(deal.offerId, { client: trx })
    await recordEvent(trx, action, {
      type: 'deal.submitted',
      aggregateType: 'deal',
      aggregateId: deal.id,
      payload: { ...dealPayload(deal, offer.title), revision },
    })
    return { deal: await Deal.findOrFail(deal.id, { client: trx }), submission }
  })
}
