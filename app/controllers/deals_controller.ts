import type { HttpContext } from '@adonisjs/core/http'
import Deal from '#models/deal'
import DealPolicy from '#policies/deal_policy'
import { ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { listDealsValidator, requestChangesValidator, submitWorkValidator } from '#validators/deal'
import { listDeals } from '#services/deals/list_deals'
import { submitWork } from '#services/deals/submit_work'
import { requestChanges } from '#services/deals/request_changes'
import { cancelDeal } from '#services/deals/cancel_deal'
import { fundDeal } from '#services/payments/fund_deal'
import { releaseEscrow } from '#services/payments/release_escrow'

export default class DealsController {
  async index(ctx: HttpContext) {
    const filters = await listDealsValidator.validate(ctx.request.qs())
    return ok(ctx, await listDeals(ctx.auth.getUserOrFail(), filters))
  }

  async show(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('view', deal)
    await deal.load('submissions', (query) => query.orderBy('revision', 'asc'))
    return ok(ctx, { deal: deal.toApi() })
  }

  async fund(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('fund', deal)
    const result = await fundDeal(actionContextOf(ctx), deal)
    return ok(ctx, { deal: result.deal.toApi(), replayed: result.outcome === 'replayed' })
  }

  async submit(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('submit', deal)
    const input = await ctx.request.validateUsing(submitWorkValidator)
    const result = await submitWork(actionContextOf(ctx), deal, input)
    return ok(ctx, { deal: result.deal.toApi(), submission: result.submission.toApi() })
  }

  async requestChanges(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('review', deal)
    const { reason } = await ctx.request.validateUsing(requestChangesValidator)
    const updated = await requestChanges(actionContextOf(ctx), deal, reason)
    return ok(ctx, { deal: updated.toApi() })
  }

  async approve(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('review', deal)
    const result = await releaseEscrow(actionContextOf(ctx), deal.id)
    return ok(ctx, { deal: result.deal.toApi(), replayed: result.outcome === 'replayed' })
  }

  async cancel(ctx: HttpContext) {
    const deal = await findRecord(Deal, ctx.params.id)
    await ctx.bouncer.with(DealPolicy).authorize('cancel', deal)
    const result = await cancelDeal(actionContextOf(ctx), deal.id)
    return ok(ctx, { deal: result.deal.toApi(), replayed: result.outcome === 'replayed' })
  }
}
