import Offer from '#models/offer'

/**
 * Titles of the offers a page mentions, read in one query.
 */
export async function offerTitlesOf(offerIds: number[]): Promise<Record<number, string>> {
  const ids = [...new Set(offerIds)]
  if (ids.length === 0) {
    return {}
  }
  const offers = await Offer.query().whereIn('id', ids).select('id', 'title')
  return Object.fromEntries(offers.map((offer) => [offer.id, offer.title]))
}
