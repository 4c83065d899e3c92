import Deal, { type DealStatus } from '#models/deal'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'

export type DealFilters = PageRequest & { status?: DealStatus }

export async function listDeals(viewer: User, filters: DealFilters) {
  const query = Deal.query()
  if (viewer.role === 'creator') {
    query.where('creator_id', viewer.id)
  }
  if (viewer.role === 'brand') {
    query.where('brand_id', viewer.id)
  }
  if (filters.status) {
    query.where('status', filters.status)
  }
  return paginate(query, filters, (deal) => deal.toApi())
}
