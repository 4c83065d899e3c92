import db from '@adonisjs/lucid/services/db'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dbNow } from '#services/database/timestamps'

/**
 * Closing stops new applications and invites; deals already made go on.
 */
export async function closeOffer(action: ActionContext, offer: Offer) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, {
      table: 'offers',
      id: offer.id,
      from: ['draft', 'published'],
      to: 'closed',
      set: { closed_at: dbNow(trx) },
    })
    await recordEvent(trx, action, {
      type: 'offer.closed',
      aggregateType: 'offer',
      aggregateId: offer.id,
      payload: { offerId: offer.id, brandId: offer.brandId, offerTitle: offer.title },
    })
    return Offer.findOrFail(offer.id, { client: trx })
  })
}
