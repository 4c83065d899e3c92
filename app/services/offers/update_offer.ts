import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Offer from '#models/offer'
import { DomainError } from '#exceptions/domain_error'
import { searchTextOf } from '#services/offers/search_text'
import { dbNow } from '#services/database/timestamps'
import { errorReason } from '#exceptions/error_reasons'

export type OfferChanges = {
  title?: string
  brief?: string
  budget?: number
  deadline?: Date | null
}

/**
 * Only drafts can be edited: once creators may have seen or applied to an
 * offer, its terms stay as they were.
 */
export async function updateOffer(offer: Offer, changes: OfferChanges) {
  return db.transaction(async (trx) => {
    const title = changes.title ?? offer.title
    const brief = changes.brief ?? offer.brief
    const updated = await trx
      .from('offers')
      .where('id', offer.id)
      .where('status', 'draft')
      .update({
        title,
        brief,
        search_text: searchTextOf(title, brief),
        budget: changes.budget ?? offer.budget,
        deadline:
          changes.deadline === undefined
            ? (offer.deadline?.toISODate() ?? null)
            : changes.deadline && DateTime.fromJSDate(changes.deadline).toISODate(),
        updated_at: dbNow(trx),
      })
    if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
      const current = await Offer.findOrFail(offer.id, { client: trx })
      throw DomainError.conflict(current.status, errorReason('only_drafts_editable'))
    }
    return Offer.findOrFail(offer.id, { client: trx })
  })
}
