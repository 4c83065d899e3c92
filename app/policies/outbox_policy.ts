import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import { hasRole, wrongRole } from '#policies/access'

/**
 * The outbox is an operator's concern: admins only.
 */
export default class OutboxPolicy extends BasePolicy {
  operate(user: User): AuthorizerResponse {
    return hasRole(user, 'admin') ? true : wrongRole()
  }
}
