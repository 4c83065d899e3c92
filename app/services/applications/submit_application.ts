import db from '@adonisjs/lucid/services/db'
import { publishedOfferIn } from '#services/offers/published_offer'
import Application from '#models/application'
import type Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { recordEvent } from '#services/outbox/record_event'
import { toApiError } from '#exceptions/api_error'
import { errorReason } from '#exceptions/error_reasons'
import { assertNoDealYet } from '#services/deals/one_deal_per_creator'

/**
 * A creator applies to a published offer, once, and not while a deal with
 * them on it (from an invite) is under way. The unique (offer, creator)
 * index settles parallel attempts.
 */
export async function submitApplication(action: ActionContext, offer: Offer, message?: string) {
  try {
    return await db.transaction(async (trx) => {
      await publishedOfferIn(trx, offer.id, 'apply_needs_published_offer')
      await assertNoDealYet(trx, offer.id, action.actor.id)
      const application = await Application.create(
        {
          offerId: offer.id,
          creatorId: action.actor.id,
          brandId: offer.brandId,
          message: message ?? null,
          status: 'pending',
        },
        { client: trx }
      )
      await recordEvent(trx, action, {
        type: 'application.submitted',
        aggregateType: 'application',
        aggregateId: application.id,
        payload: applicationPayload(application, offer.title),
      })
      return application
    })
  } catch (error) {
    if (!(error instanceof DomainError) && toApiError(error).code === 'CONFLICT') {
      throw new DomainError('CONFLICT', { message: errorReason('already_applied') })
    }
    throw error
  }
}

export function applicationPayload(application: Application, offerTitle: string) {
  return {
    applicationId: application.id,
    offerId: application.offerId,
    offerTitle,
    brandId: application.brandId,
    creatorId: application.creatorId,
  }
}
