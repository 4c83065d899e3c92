import Offer, { type OfferStatus } from '#models/offer'

/**
 * Titles of the offers a page mentions, read in one query, with their
 * statuses: what hangs off an offer that is no longer published can no
 * longer be approved or accepted.
 */
export async function offersMentioned(offerIds: number[]) {
  const titles: Record<number, string> = {}
  const statuses: Record<number, OfferStatus> = {}
  const ids = [...new Set(offerIds)]
  if (ids.length > 0) {
    const offers = await Offer.query().whereIn('id', ids).select('id', 'title', 'status')
    for (const offer of offers) {
      titles[offer.id] = offer.title
      statuses[offer.id] = offer.status
    }
  }
  return { titles, statuses }
}
