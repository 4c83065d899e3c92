import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import Application from '#models/application'
import OfferPolicy from '#policies/offer_policy'
import ApplicationPolicy from '#policies/application_policy'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { validateForm, validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { listApplicationsValidator, submitApplicationValidator } from '#validators/application'
import { submitApplication } from '#services/applications/submit_application'
import {
  approveApplication,
  rejectApplication,
  withdrawApplication,
} from '#services/applications/decide_application'
import { listApplications } from '#services/applications/list_applications'
import { offersMentioned } from '#services/offers/offer_titles'
import { applicationActions } from '#services/state/available_actions'
import { dealingFor } from '#services/deals/dealing_state'

/**
 * A creator sent the form of an offer that closed after they opened it. The
 * offer's page is hidden from a creator who never applied, so going back
 * would end on the "not found" page; the offers list says what happened.
 * A creator who can still see the offer (they applied or were invited) goes
 * back to it and reads the refusal there. Only an offer that was published
 * is named, which every creator could see then: a draft closed unpublished
 * stays a 404, as every draft is to a creator.
 */
function offerClosedMeanwhile(ctx: HttpContext) {
  ctx.session.flash('error', ctx.i18n.t('offers.apply.closed'))
  return ctx.response.redirect('/offers')
}

export default class ApplicationsController {
  async index(ctx: HttpContext) {
    const viewer = ctx.auth.getUserOrFail()
    const filters = await validateListQuery(ctx, listApplicationsValidator)
    const applications = await listApplications(viewer, filters)
    const { titles, statuses } = await offersMentioned(
      applications.items.map((item) => item.offerId)
    )
    const dealing = await dealingFor(viewer, ['brand'], applications.items)
    return ctx.view.render('pages/applications/index', {
      applications: {
        ...applications,
        items: applications.items.map((application) => ({
          ...application,
          actions: applicationActions(
            viewer,
            application,
            statuses[application.offerId],
            dealing(application)
          ),
        })),
      },
      titles,
    })
  }

  async store(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    const wasPublic = offer.status === 'closed' && offer.publishedAt !== null
    if (
      wasPublic &&
      ctx.auth.getUserOrFail().role === 'creator' &&
      (await ctx.bouncer.with(OfferPolicy).denies('view', offer))
    ) {
      return offerClosedMeanwhile(ctx)
    }
    await ctx.bouncer.with(OfferPolicy).authorize('apply', offer)
    const { message } = await validateForm(ctx, submitApplicationValidator)
    await submitApplication(actionContextOf(ctx), offer, message)
    return doneAndRedirect(ctx, 'offers.apply.done')
  }

  async approve(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('decide', application)
    const { deal } = await approveApplication(actionContextOf(ctx), application)
    return doneAndRedirect(ctx, 'applications.approve.done', `/deals/${deal.id}`)
  }

  async reject(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('decide', application)
    await rejectApplication(actionContextOf(ctx), application)
    return doneAndRedirect(ctx, 'applications.reject.done')
  }

  async withdraw(ctx: HttpContext) {
    const application = await findRecord(Application, ctx.params.id)
    await ctx.bouncer.with(ApplicationPolicy).authorize('withdraw', application)
    await withdrawApplication(actionContextOf(ctx), application)
    return doneAndRedirect(ctx, 'applications.withdraw.done')
  }
}
