import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Offer from '#models/offer'
import User from '#models/user'
import { findLockedIn } from '#services/database/row_lock'
import { DomainError } from '#exceptions/domain_error'
import { errorReason, type ErrorReason } from '#exceptions/error_reasons'

/**
 * The offer an application, invite or deal is about to hang off, read in the
 * caller's transaction and refused unless published. On PostgreSQL the read
 * takes a share lock: closing the offer updates its row, so a close and an
 * apply, invite, approve or accept on the same offer wait for each other,
 * and nothing new hangs off an offer once its closing has committed
 * (without it, an approve that read "published" just before committed a
 * deal after the close). Share locks do not block each other.
 *
 * An offer of a brand an admin blocked is refused too, its brand's row
 * share-locked the same way: the brand cannot answer, fund or release, so
 * an application or a deal there would only wait for nothing.
 */
export async function publishedOfferIn(
  trx: TransactionClientContract,
  offerId: number,
  refusal: ErrorReason
) {
  const offer = await findLockedIn(Offer, trx, offerId, 'share')
  if (offer.status !== 'published') {
    throw DomainError.conflict(offer.status, errorReason(refusal))
  }
  const brand = await findLockedIn(User, trx, offer.brandId, 'share')
  if (brand.isBlocked) {
    throw new DomainError('CONFLICT', { message: errorReason('brand_blocked') })
  }
  return offer
}
