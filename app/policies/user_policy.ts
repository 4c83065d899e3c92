import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { hasRole, wrongRole } from '#policies/access'

/**
 * Listing, blocking and unblocking users: admins only.
 */
export default class UserPolicy extends BasePolicy {
  manage(user: User): AuthorizerResponse {
    return hasRole(user, 'admin') ? true : wrongRole()
  }
}
