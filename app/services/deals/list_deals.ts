import Deal, { type DealStatus } from '#models/deal'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'
import { scopeToParty } from '#services/party_scope'

export type DealFilters = PageRequest & { status?: DealStatus }

export async function listDeals(viewer: User, filters: DealFilters) {
  const query = scopeToParty(Deal.query(), viewer)
  if (filters.status) {
    query.where('status', filters.status)
  }
  return paginate(query, filters, (deal) => deal.toApi())
}
