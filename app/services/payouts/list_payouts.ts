import PayoutRequest, { type PayoutStatus } from '#models/payout_request'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'

/**
 * Creators see their own payouts; admins the whole queue.
 */
export async function listPayouts(viewer: User, filters: PageRequest & { status?: PayoutStatus }) {
  const query = PayoutRequest.query()
  if (viewer.role !== 'admin') {
    query.where('creator_id', viewer.id)
  }
  if (filters.status) {
    query.where('status', filters.status)
  }
  return paginate(query, filters, (payout) => payout.toApi())
}
