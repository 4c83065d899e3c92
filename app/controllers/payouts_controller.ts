import type { HttpContext } from '@adonisjs/core/http'
import PayoutRequest from '#models/payout_request'
import PayoutPolicy from '#policies/payout_policy'
import { created, ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { listPayoutsValidator, requestPayoutValidator } from '#validators/payout'
import { requestPayout } from '#services/payouts/request_payout'
import { approvePayout, markPayoutPaid, rejectPayout } from '#services/payouts/decide_payout'
import { listPayouts } from '#services/payouts/list_payouts'

export default class PayoutsController {
  async store(ctx: HttpContext) {
    await ctx.bouncer.with(PayoutPolicy).authorize('request')
    const { amount } = await ctx.request.validateUsing(requestPayoutValidator)
    const payout = await requestPayout(actionContextOf(ctx), amount, ctx.idempotencyKeyId)
    return created(ctx, { payout: payout.toApi() })
  }

  async index(ctx: HttpContext) {
    const filters = await listPayoutsValidator.validate(ctx.request.qs())
    return ok(ctx, await listPayouts(ctx.auth.getUserOrFail(), filters))
  }

  async adminIndex(ctx: HttpContext) {
    await ctx.bouncer.with(PayoutPolicy).authorize('decide')
    const filters = await listPayoutsValidator.validate(ctx.request.qs())
    return ok(ctx, await listPayouts(ctx.auth.getUserOrFail(), filters))
  }

  async approve(ctx: HttpContext) {
    return this.#decide(ctx, approvePayout)
  }

  async reject(ctx: HttpContext) {
    return this.#decide(ctx, rejectPayout)
  }

  async markPaid(ctx: HttpContext) {
    return this.#decide(ctx, markPayoutPaid)
  }

  async #decide(ctx: HttpContext, decision: typeof approvePayout) {
    await ctx.bouncer.with(PayoutPolicy).authorize('decide')
    const payout = await findRecord(PayoutRequest, ctx.params.id)
    const result = await decision(actionContextOf(ctx), payout.id)
    return ok(ctx, { payout: result.payout.toApi(), replayed: result.outcome === 'replayed' })
  }
}
