import Application, { type ApplicationStatus } from '#models/application'
import type User from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'
import { scopeToParty } from '#services/party_scope'

export type ApplicationFilters = PageRequest & { status?: ApplicationStatus; offerId?: number }

/**
 * Creators see their own applications, brands those to their offers,
 * admins all.
 */
export async function listApplications(viewer: User, filters: ApplicationFilters) {
  const query = scopeToParty(Application.query(), viewer)
  if (filters.status) {
    query.where('status', filters.status)
  }
  if (filters.offerId) {
    query.where('offer_id', filters.offerId)
  }
  return paginate(query, filters, (application) => application.toApi())
}
