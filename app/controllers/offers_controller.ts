import type { HttpContext } from '@adonisjs/core/http'
import Offer from '#models/offer'
import OfferPolicy from '#policies/offer_policy'
import { created, ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import {
  createOfferValidator,
  listOffersValidator,
  updateOfferValidator,
  refuseClearing,
} from '#validators/offer'
import { createOffer } from '#services/offers/create_offer'
import { updateOffer } from '#services/offers/update_offer'
import { publishOffer } from '#services/offers/publish_offer'
import { closeOffer } from '#services/offers/close_offer'
import { listOffers } from '#services/offers/list_offers'

export default class OffersController {
  async index(ctx: HttpContext) {
    const filters = await listOffersValidator.validate(ctx.request.qs())
    return ok(ctx, await listOffers(ctx.auth.getUserOrFail(), filters))
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(OfferPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createOfferValidator)
    const offer = await createOffer(actionContextOf(ctx), input)
    return created(ctx, { offer: offer.toApi() })
  }

  async show(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('view', offer)
    return ok(ctx, { offer: offer.toApi() })
  }

  async update(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    refuseClearing(ctx.request.body(), ['title', 'brief', 'budget'])
    const changes = await ctx.request.validateUsing(updateOfferValidator)
    const changed = await updateOffer(offer, changes)
    return ok(ctx, { offer: changed.toApi() })
  }

  async publish(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    const changed = await publishOffer(actionContextOf(ctx), offer)
    return ok(ctx, { offer: changed.toApi() })
  }

  async close(ctx: HttpContext) {
    const offer = await findRecord(Offer, ctx.params.id)
    await ctx.bouncer.with(OfferPolicy).authorize('manage', offer)
    const changed = await closeOffer(actionContextOf(ctx), offer)
    return ok(ctx, { offer: changed.toApi() })
  }
}
