import Offer, { type OfferStatus } from '#models/offer'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'
import { textSearchOf } from '#services/offers/search_text'

export type OfferFilters = PageRequest & { status?: OfferStatus; q?: string }

/**
 * Creators browse published offers; brands see their own in any status;
 * admins see everything.
 */
export async function listOffers(viewer: User, filters: OfferFilters) {
  const query = Offer.query()
  if (viewer.role === 'creator') {
    // A literal, not a binding: the list's statement is prepared once and
    // planned for any binding, and only a literal lets that plan count on
    // how many offers are published and use their index (migration 0043).
    query.whereRaw("offers.status = 'published'")
  }
  if (viewer.role === 'brand') {
    query.where('brand_id', viewer.id)
  }
  if (filters.status) {
    query.where('status', filters.status)
  }
  const options = filters.q ? { scanned: textSearchOf(filters.q, query.client.dialect.name) } : {}
  return paginate(query, filters, (offer) => offer.toApi(), options)
}
