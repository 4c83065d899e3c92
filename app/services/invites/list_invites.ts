import Invite, { type InviteStatus } from '#models/invite'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'

export type InviteFilters = PageRequest & { status?: InviteStatus }

export async function listInvites(viewer: User, filters: InviteFilters) {
  const query = Invite.query()
  if (viewer.role === 'creator') {
    query.where('creator_id', viewer.id)
  }
  if (viewer.role === 'brand') {
    query.where('brand_id', viewer.id)
  }
  if (filters.status) {
    query.where('status', filters.status)
  }
  return paginate(query, filters, (invite) => invite.toApi())
}
