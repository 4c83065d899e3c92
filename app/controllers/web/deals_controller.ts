import type { HttpContext } from '@adonisjs/core/http'
import Deal from '#models/deal'
import DealPolicy from '#policies/deal_policy'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { validateForm, validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { listDealsValidator, requestChangesValidator, submitWorkValidator } from '#validators/deal'
import { listDeals } from '#services/deals/list_deals'
import { submitWork } from '#services/deals/submit_work'
import { requestChanges } from '#services/deals/request_changes'
import { cancelDeal } from '#services/deals/cancel_deal'
import { fundDeal } from '#services/payments/fund_deal'
import { releaseEscrow } from '#services/payments/release_escrow'
import { offersMentioned } from '#services/offers/offer_titles'
import { displayNamesOf } from '#services/users/display_names'
import { dealActions } from '#services/state/available_actions'

export default class DealsController {
  async index(ctx: HttpContext) {
    const filters = await validateListQuery(ctx, listDealsValidator)
    const deals = await listDeals(ctx.auth.getUserOrFail(), filters)
    const { titles } = await offersMentioned(deals.items.map((deal) => deal.offerId))
    const names = await displayNamesOf(
      deals.items.flatMap((deal) => [deal.brandId, deal.creatorId])
    )
    return ctx.view.render('pages/deals/index', { deals, titles, names })
  }

  async show(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('view', deal)
    await deal.load('submissions', (query) => query.orderBy('revision', 'desc'))
    const { titles } = await offersMentioned([deal.offerId])
    const names = await displayNamesOf([deal.brandId, deal.creatorId])
    return ctx.view.render('pages/deals/show', {
      deal: deal.toApi(),
      title: titles[deal.offerId],
      names,
      actions: dealActions(ctx.auth.getUserOrFail(), deal, deal.submissions.length > 0),
    })
  }

  async fund(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('fund', deal)
    await fundDeal(actionContextOf(ctx), deal)
    return doneAndRedirect(ctx, 'deals.fund.done')
  }

  async submit(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('submit', deal)
    const input = await validateForm(ctx, submitWorkValidator)
    await submitWork(actionContextOf(ctx), deal, input)
    return doneAndRedirect(ctx, 'deals.submit.done')
  }

  async requestChanges(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('review', deal)
    const { reason } = await validateForm(ctx, requestChangesValidator)
    await requestChanges(actionContextOf(ctx), deal, reason)
    return doneAndRedirect(ctx, 'deals.changes.done')
  }

  async approve(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('review', deal)
    await releaseEscrow(actionContextOf(ctx), deal.id)
    return doneAndRedirect(ctx, 'deals.approve.done')
  }

  async cancel(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('cancel', deal)
    await cancelDeal(actionContextOf(ctx), deal.id)
    return doneAndRedirect(ctx, 'deals.cancel.done')
  }
}
