import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Offer from '#models/offer'
import { findLockedIn } from '#services/database/row_lock'
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
 * offer, its terms stay as they were. The fields not sent keep their values
 * as read inside the transaction (locked on PostgreSQL), not as the caller
 * saw them: two edits at once would otherwise each write back the other's
 * old values.
 */
export async function updateOffer(offer: Offer, changes: OfferChanges) {
  return db.transaction(async (trx) => {
    const current = await findLockedIn(Offer, trx, offer.id, 'update')
    if (current.status !== 'draft') {
      throw DomainError.conflict(current.status, errorReason('only_drafts_editable'))
    }
    const title = changes.title ?? current.title
    const brief = changes.brief ?? current.brief
    await trx
      .from('offers')
      .where('id', offer.id)
      .update({
        title,
        brief,
        search_text: searchTextOf(title, brief),
        budget: changes.budget ?? current.budget,
        deadline:
          changes.deadline === undefined
            ? (current.deadline?.toISODate() ?? null)
            : changes.deadline && DateTime.fromJSDate(changes.deadline).toISODate(),
        updated_at: dbNow(trx),
      })
    return Offer.findOrFail(offer.id, { client: trx })
  })
}
