import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import type User from '#models/user'
import type Invite from '#models/invite'
import { hasRole, partyOrAdmin, wrongRole } from '#policies/access'

export default class InvitePolicy extends BasePolicy {
  view(user: User, invite: Invite): AuthorizerResponse {
    return partyOrAdmin(user, invite)
  }

  answer(user: User, invite: Invite): AuthorizerResponse {
    const visible = this.view(user, invite)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'creator') ? true : wrongRole()
  }

  withdraw(user: User, invite: Invite): AuthorizerResponse {
    const visible = this.view(user, invite)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'brand') ? true : wrongRole()
  }
}
