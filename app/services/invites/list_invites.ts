import Invite, { type InviteStatus } from '#models/invite'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'
import { scopeToParty } from '#services/party_scope'

export type InviteFilters = PageRequest & { status?: InviteStatus }

export async function listInvites(viewer: User, filters: InviteFilters) {
  const query = scopeToParty(Invite.query(), viewer)
  if (filters.status) {
    query.where('status', filters.status)
  }
  return paginate(query, filters, (invite) => invite.toApi())
}
