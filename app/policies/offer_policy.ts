import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import type Offer from '#models/offer'
import { hasRole, hidden, wrongRole } from '#policies/access'

export default class OfferPolicy extends BasePolicy {
  /**
   * Admins see every offer, brands their own, creators published ones and
   * any they applied to or were invited to.
   */
  async view(user: User, offer: Offer): Promise<AuthorizerResponse> {
    if (user.role === 'admin' || offer.brandId === user.id) {
      return true
    }
    if (user.role !== 'creator') {
      return hidden()
    }
    if (offer.status === 'published') {
      return true
    }
    const linked = await db
      .from('applications')
      .where({ offer_id: offer.id, creator_id: user.id })
      .select('id')
      .union((query) => {
        query.from('invites').where({ offer_id: offer.id, creator_id: user.id }).select('id')
      })
      .first()
    return linked ? true : hidden()
  }

  create(user: User): AuthorizerResponse {
    return hasRole(user, 'brand') ? true : wrongRole()
  }

  /**
   * Edit, publish, close, invite: the owning brand only.
   */
  async manage(user: User, offer: Offer): Promise<AuthorizerResponse> {
    const visible = await this.view(user, offer)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'brand') && offer.brandId === user.id ? true : wrongRole()
  }

  async apply(user: User, offer: Offer): Promise<AuthorizerResponse> {
    const visible = await this.view(user, offer)
    if (visible !== true) {
      return visible
    }
    return hasRole(user, 'creator') ? true : wrongRole()
  }
}
