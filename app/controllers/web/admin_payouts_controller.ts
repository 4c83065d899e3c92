import type { HttpContext } from '@adonisjs/core/http'
import PayoutRequest from '#models/payout_request'
import PayoutPolicy from '#policies/payout_policy'
import { findRecord } from '#http/find_record'
import { actionContextOf } from '#http/action_context'
import { validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { listPayoutsValidator } from '#validators/payout'
import { listPayouts } from '#services/payouts/list_payouts'
import { approvePayout, markPayoutPaid, rejectPayout } from '#services/payouts/decide_payout'
import { displayNamesOf } from '#services/users/display_names'
import { payoutActions } from '#services/state/available_actions'

export default class AdminPayoutsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(PayoutPolicy).authorize('decide')
    const viewer = ctx.auth.getUserOrFail()
    const filters = await validateListQuery(ctx, listPayoutsValidator)
    const payouts = await listPayouts(viewer, filters)
    const names = await displayNamesOf(payouts.items.map((payout) => payout.creatorId))
    return ctx.view.render('pages/admin/payouts', {
      payouts: {
        ...payouts,
        items: payouts.items.map((payout) => ({
          ...payout,
          actions: payoutActions(viewer, payout),
        })),
      },
      names,
      filters,
    })
  }

  async approve(ctx: HttpContext) {
    return this.#decide(ctx, approvePayout, 'payouts.approve.done')
  }

  async reject(ctx: HttpContext) {
    return this.#decide(ctx, rejectPayout, 'payouts.reject.done')
  }

  async markPaid(ctx: HttpContext) {
    return this.#decide(ctx, markPayoutPaid, 'payouts.mark_paid.done')
  }

  async #decide(ctx: HttpContext, decision: typeof approvePayout, messageKey: string) {
    await ctx.bouncer.with(PayoutPolicy).authorize('decide')
    const payout = await findRecord(PayoutRequest, ctx.params.id)
    await decision(actionContextOf(ctx), payout.id)
    return doneAndRedirect(ctx, messageKey)
  }
}
