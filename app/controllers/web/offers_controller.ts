import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import OfferPolicy from '#policies/offer_policy'
import { findRecord } from '#http/find_record'
import { errorReason } from '#exceptions/error_reasons'
import { actionContextOf } from '#http/action_context'
import { validateForm, validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { listOffersValidator, MAX_SEARCH_LENGTH } from '#validators/offer'
import { offerFormValidator, pageValidator } from '#validators/web_forms'
import { listOffers } from '#services/offers/list_offers'
import { createOffer } from '#services/offers/create_offer'
import { updateOffer } from '#services/offers/update_offer'
import { publishOffer } from '#services/offers/publish_offer'
import { closeOffer } from '#services/offers/close_offer'
import { listApplications } from '#services/applications/list_applications'
import { displayNamesOf } from '#services/users/display_names'
import { applicationActions, offerActions } from '#services/state/available_actions'
import { dealingFor } from '#services/deals/dealing_state'

/** An offer's page lists its applications a page at a time, newest first. */
const APPLICATIONS_PER_PAGE = 20

export default class OffersController {
  async index(ctx: HttpContext) {
    const viewer = ctx.auth.getUserOrFail()
    const filters = await validateListQuery(ctx, listOffersValidator)
    const offers = await listOffers(viewer, filters)
    const template = viewer.role === 'creator' ? 'pages/offers/feed' : 'pages/offers/mine'
    return ctx.view.render(template, { offers, filters, maxSearchLength: MAX_SEARCH_LENGTH })
  }

  async create(ctx: HttpContext) {
    await ctx.bouncer.with(OfferPolicy).authorize('create')
    return ctx.view.render('pages/offers/form', { offer: null })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OfferPolicy).authorize('create')
    const input = await validateForm(ctx, offerFormValidator)
    const offer = await createOffer(actionContextOf(ctx), input)
    return doneAndRedirect(ctx, 'offers.new.done', `/offers/${offer.id}`)
  }

  async show(ctx: HttpContext) {
    const viewer = ctx.auth.getUserOrFail()
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('view', offer)
    const { page } = await validateListQuery(ctx, pageValidator)
    const applications = await listApplications(viewer, {
      offerId: offer.id,
      page,
      perPage: APPLICATIONS_PER_PAGE,
    })
    const names = await displayNamesOf([
      offer.brandId,
      ...applications.items.map((item) => item.creatorId),
    ])
    const viewerAsCreator = { offerId: offer.id, creatorId: viewer.id, brandId: offer.brandId }
    const dealing = await dealingFor(
      viewer,
      ['brand', 'creator'],
      [...applications.items, viewerAsCreator]
    )
    const viewerDealing = dealing(viewerAsCreator)
    return ctx.view.render('pages/offers/show', {
      offer: offer.toApi(),
      actions: offerActions(viewer, offer, viewerDealing),
      viewerDealing,
      applications: {
        ...applications,
        items: applications.items.map((application) => ({
          ...application,
          actions: applicationActions(viewer, application, offer.status, dealing(application)),
        })),
      },
      names,
    })
  }

  async edit(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    if (offer.status !== 'draft') {
      // An old link to the form of an offer since published: saving would fail.
      ctx.session.flash('error', errorReason('only_drafts_editable'))
      return ctx.response.redirect(`/offers/${offer.id}`)
    }
    return ctx.view.render('pages/offers/form', { offer: offer.toApi() })
  }

  async update(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    const input = await validateForm(ctx, offerFormValidator)
    await updateOffer(offer, { ...input, deadline: input.deadline ?? null })
    return doneAndRedirect(ctx, 'offers.edit.done', `/offers/${offer.id}`)
  }

  async publish(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    await publishOffer(actionContextOf(ctx), offer)
    return doneAndRedirect(ctx, 'offers.publish.done')
  }

  async close(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    await closeOffer(actionContextOf(ctx), offer)
    return doneAndRedirect(ctx, 'offers.close.done')
  }
}
