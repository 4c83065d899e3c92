import db from '@adonisjs/lucid/services/db'
import { publishedOfferIn } from '#services/offers/published_offer'
import Application from '#models/application'
import Offer from '#models/offer'
import User from '#models/user'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'
import type { ActionContext } from '#services/action_context'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { applicationPayload } from '#services/applications/submit_application'
import { openDeal } from '#services/deals/open_deal'
import { findLockedIn } from '#services/database/row_lock'

/**
 * The brand approves a pending application (a deal is opened in the same
 * transaction) while its offer is still published and its creator not
 * blocked.
 */
export async function approveApplication(action: ActionContext, application: Application) {
  return db.transaction(async (trx) => {
    const offer = await publishedOfferIn(trx, application.offerId, 'offer_not_published')
    await transitionStatus(trx, {
      table: 'applications',
      id: application.id,
      from: ['pending'],
      to: 'approved',
    })
    // A deal with a creator who cannot sign in would only hold the brand's
    // money in escrow until the brand cancels it. Locked, so that a block
    // committing meanwhile waits for this approval or is seen by it.
    const creator = await findLockedIn(User, trx, application.creatorId, 'share')
    if (creator.isBlocked) {
      throw DomainError.conflict(application.status, errorReason('creator_blocked'))
    }
    const deal = await openDeal(
      trx,
      action,
      offer,
      application.creatorId,
      { applicationId: application.id },
      {
        type: 'application.approved',
        aggregateType: 'application',
        aggregateId: application.id,
        payload: applicationPayload(application, offer.title),
      }
    )
    return { application: await Application.findOrFail(application.id, { client: trx }), deal }
  })
}

export async function rejectApplication(action: ActionContext, application: Application) {
  return moveApplication(action, application, 'rejected', 'application.rejected')
}

/**
 * Only its creator withdraws an application, and only while it is pending.
 */
export async function withdrawApplication(action: ActionContext, application: Application) {
  return moveApplication(action, application, 'withdrawn', 'application.withdrawn')
}

async function moveApplication(
  action: ActionContext,
  application: Application,
  to: 'rejected' | 'withdrawn',
  type: 'application.rejected' | 'application.withdrawn'
) {
  return db.transaction(async (trx) => {
    await transitionStatus(trx, {
      table: 'applications',
      id: application.id,
      from: ['pending'],
      to,
    })
    const offer = await Offer.findOrFail(application.offerId, { client: trx })
    await recordEvent(trx, action, {
      type,
      aggregateType: 'application',
      aggregateId: application.id,
      payload: applicationPayload(application, offer.title),
    })
    return Application.findOrFail(application.id, { client: trx })
  })
}
