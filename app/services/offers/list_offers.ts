import Offer, { type OfferStatus } from '#models/offer'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'
import { likePatternOf, TEXT_SEARCH_WINDOW } from '#services/offers/search_text'

export type OfferFilters = PageRequest & { status?: OfferStatus; q?: string }

/**
 * Creators browse published offers; brands see their own in any status;
 * admins see everything.
 */
export async function listOffers(viewer: User, filters: OfferFilters) {
  const query = Offer.query()
  if (viewer.role === 'creator') {
    query.where('status', 'published')
  }
  if (viewer.role === 'brand') {
    query.where('brand_id', viewer.id)
  }
  if (filters.status) {
    query.where('status', filters.status)
  }
  if (filters.q) {
    query.whereRaw("search_text like ? escape '\\'", [likePatternOf(filters.q)])
  }
  const window = filters.q ? TEXT_SEARCH_WINDOW : undefined
  return paginate(query, filters, (offer) => offer.toApi(), { window })
}
