import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { hasRole, wrongRole } from '#policies/access'

/**
 * Creators ask for payouts; only admins decide on them.
 */
export default class PayoutPolicy extends BasePolicy {
  request(user: User): AuthorizerResponse {
    return hasRole(user, 'creator') ? true : wrongRole()
  }

  decide(user: User): AuthorizerResponse {
    return hasRole(user, 'admin') ? true : wrongRole()
  }
}
