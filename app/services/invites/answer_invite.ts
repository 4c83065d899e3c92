import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { publishedOfferIn } from '#services/offers/published_offer'
import Invite from '#models/invite'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { invitePayload } from '#services/invites/invite_payload'
import { openDeal } from '#services/deals/open_deal'
import { errorReason } from '#exceptions/error_reasons'

/**
 * The invited creator accepts: a deal is opened in the same transaction.
 * An invite past its expiry cannot be accepted even before
 * `invites:expire` has marked it.
 */
export async function acceptInvite(action: ActionContext, invite: Invite) {
  return db.transaction(async (trx) => {
    const offer = await publishedOfferIn(trx, invite.offerId, 'offer_not_published')
    assertNotExpired(invite)
    await transitionStatus(trx, {
      table: 'invites',
      id: invite.id,
      from: ['pending'],
      to: 'accepted',
    })
    const deal = await openDeal(
      trx,
      action,
      offer,
      invite.creatorId,
      { inviteId: invite.id },
      {
        type: 'invite.accepted',
        aggregateType: 'invite',
        aggregateId: invite.id,
        payload: invitePayload(invite, offer.title),
      }
    )
    return { invite: await Invite.findOrFail(invite.id, { client: trx }), deal }
  })
}

export async function declineInvite(action: ActionContext, invite: Invite) {
  assertNotExpired(invite)
  return moveInvite(action, invite, 'declined', 'invite.declined')
}

export async function withdrawInvite(action: ActionContext, invite: Invite) {
  return moveInvite(action, invite, 'withdrawn', 'invite.withdrawn')
}

function assertNotExpired(invite: Invite) {
  if (invite.status === 'pending' && invite.expiresAt <= DateTime.now()) {
    throw DomainError.conflict('expired', errorReason('invite_expired'))
  }
}

async function moveInvite(
  action: ActionContext,
  invite: Invite,
  to: 'declined' | 'withdrawn',
  type: 'invite.declined' | 'invite.withdrawn'
) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, {
      table: 'invites',
      id: invite.id,
      from: ['pending'],
      to,
    })
    const offer = await Offer.findOrFail(invite.offerId, { client: trx })
    await recordEvent(trx, action, {
      type,
      aggregateType: 'invite',
      aggregateId: invite.id,
      payload: invitePayload(invite, offer.title),
    })
    return Invite.findOrFail(invite.id, { client: trx })
  })
}
