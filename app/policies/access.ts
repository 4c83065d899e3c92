import { ERROR_CATALOGUE } from '#exceptions/error_catalogue'
import { AuthorizationResponse } from '@adonisjs/bouncer'
import type User from '#models/user'

/**
 * The two ways a policy says no (DESIGN.md §3): a record the user may not
 * see is NOT_FOUND, so its existence is not revealed; an action their role
 * may not take on a record they can see is FORBIDDEN.
 */
export const hidden = () => AuthorizationResponse.deny(ERROR_CATALOGUE.NOT_FOUND.message, 404)
export const wrongRole = () => AuthorizationResponse.deny(ERROR_CATALOGUE.FORBIDDEN.message, 403)

export function hasRole(user: User, ...roles: Array<User['role']>) {
  return roles.includes(user.role)
}

/**
 * Applications, invites and deals are visible to their two parties and to
 * admins.
 */
export function partyOrAdmin(user: User, record: { creatorId: number; brandId: number }) {
  return user.role === 'admin' || record.creatorId === user.id || record.brandId === user.id
    ? true
    : hidden()
}
