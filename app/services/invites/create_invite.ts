import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { publishedOfferIn } from '#services/offers/published_offer'
import Invite from '#models/invite'
import type Offer from '#models/offer'
import User from '#models/user'
import type { ActionContext } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { toApiError } from '#exceptions/api_error'
import { recordEvent } from '#services/outbox/record_event'
import { invitePayload } from '#services/invites/invite_payload'
import { errorReason } from '#exceptions/error_reasons'
import { toDbTimestamp } from '#services/database/timestamps'
import { expireInviteIn } from '#services/invites/expire_invites'
import { assertNoDealYet } from '#services/deals/one_deal_per_creator'

/**
 * How long an invite waits for an answer before `invites:expire` closes it.
 */
export const INVITE_TTL = { days: 7 }

/**
 * A brand invites a creator to a published offer. At most one invite per
 * offer and creator is pending at a time (a partial unique index). An
 * earlier invite whose time is up no longer counts: it is marked expired
 * here, with its event, whether or not `invites:expire` has run yet. A
 * creator who already has a deal on the offer is not invited to it again.
 */
export async function createInvite(
  action: ActionContext,
  offer: Offer,
  input: { creatorId: number; message?: string }
) {
  const creator = await User.find(input.creatorId)
  if (!creator || creator.role !== 'creator' || creator.isBlocked) {
    throw new DomainError('NOT_FOUND', { message: errorReason('creator_not_found') })
  }
  try {
    return await db.transaction(async (trx) => {
      const published = await publishedOfferIn(trx, offer.id, 'invite_needs_published_offer')
      await assertNoDealYet(trx, offer.id, creator.id)
      const lapsed = await Invite.query({ client: trx })
        .where('offer_id', offer.id)
        .where('creator_id', creator.id)
        .where('status', 'pending')
        .where('expires_at', '<=', toDbTimestamp(DateTime.now()))
        .first()
      if (lapsed) {
        await expireInviteIn(trx, lapsed, published.title)
      }
      const invite = await Invite.create(
        {
          offerId: offer.id,
          creatorId: creator.id,
          brandId: offer.brandId,
          message: input.message ?? null,
          status: 'pending',
          expiresAt: DateTime.now().plus(INVITE_TTL),
        },
        { client: trx }
      )
      await recordEvent(trx, action, {
        type: 'invite.created',
        aggregateType: 'invite',
        aggregateId: invite.id,
        payload: invitePayload(invite, published.title),
      })
      return invite
    })
  } catch (error) {
    if (!(error instanceof DomainError) && toApiError(error).code === 'CONFLICT') {
      throw new DomainError('CONFLICT', { message: errorReason('creator_already_invited') })
    }
    throw error
  }
}
