import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Deal from '#models/deal'
import { hasRole, partyOrAdmin, wrongRole } from '#policies/access'

export default class DealPolicy extends BasePolicy {
  view(user: User, deal: Deal): AuthorizerResponse {
    return partyOrAdmin(user, deal)
  }

  submit(user: User, deal: Deal): AuthorizerResponse {
    return this.#visibleAnd(user, deal, 'creator')
  }

  fund(user: User, deal: Deal): AuthorizerResponse {
    return this.#visibleAnd(user, deal, 'brand')
  }

  review(user: User, deal: Deal): AuthorizerResponse {
    return this.#visibleAnd(user, deal, 'brand')
  }

  cancel(user: User, deal: Deal): AuthorizerResponse {
    return this.#visibleAnd(user, deal, 'brand', 'admin')
  }

  #visibleAnd(user: User, deal: Deal, ...roles: Array<User['role']>): AuthorizerResponse {
    const visible = this.view(user, deal)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, ...roles) ? true : wrongRole()
  }
}
