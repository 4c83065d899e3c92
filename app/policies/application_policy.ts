import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Application from '#models/application'
import { hasRole, partyOrAdmin, wrongRole } from '#policies/access'

export default class ApplicationPolicy extends BasePolicy {
  view(user: User, application: Application): AuthorizerResponse {
    return partyOrAdmin(user, application)
  }

  withdraw(user: User, application: Application): AuthorizerResponse {
    const visible = this.view(user, application)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'creator') ? true : wrongRole()
  }

  decide(user: User, application: Application): AuthorizerResponse {
    const visible = this.view(user, application)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'brand') ? true : wrongRole()
  }
}
