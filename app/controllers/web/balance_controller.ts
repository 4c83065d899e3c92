import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import PayoutPolicy from '#policies/payout_policy'
import paymentsConfig from '#config/payments'
import { actionContextOf } from '#http/action_context'
import { validateForm, validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { balancePagesValidator, payoutFormValidator } from '#validators/web_forms'
import { balanceOf } from '#services/ledger/balances'
import { listLedger } from '#services/ledger/list_ledger'
import { listPayouts } from '#services/payouts/list_payouts'
import { requestPayout } from '#services/payouts/request_payout'
import { requestPayoutOnce } from '#services/payouts/request_payout_once'

const PAYOUTS_PER_PAGE = 20

const PAYOUT_OUTCOME_MESSAGES = {
  made: 'balance.payout.done',
  repeated: 'balance.payout.already_sent',
  in_progress: 'balance.payout.in_progress',
} as const

export default class BalanceController {
  async show(ctx: HttpContext) {
    const viewer = ctx.auth.getUserOrFail()
    const { page, perPage, payoutsPage } = await validateListQuery(ctx, balancePagesValidator)
    const balance = await balanceOf(viewer)
    return ctx.view.render('pages/balance/show', {
      balance,
      // What a new payout request may ask for: requests still waiting for an
      // admin are part of `available` but already spoken for.
      withdrawable: Math.max(0, (balance.available ?? 0) - (balance.requested ?? 0)),
      ledger: await listLedger(viewer, { page, perPage }),
      payouts:
        viewer.role === 'creator'
          ? await listPayouts(viewer, { page: payoutsPage, perPage: PAYOUTS_PER_PAGE })
          : null,
      payoutMinAmount: paymentsConfig.payoutMinAmount,
      payoutFormKey: randomUUID(),
    })
  }

  async requestPayout(ctx: HttpContext) {
    await ctx.bouncer.with(PayoutPolicy).authorize('request')
    const { amount, formKey } = await validateForm(ctx, payoutFormValidator)
    if (formKey === undefined) {
      await requestPayout(actionContextOf(ctx), amount)
      return doneAndRedirect(ctx, 'balance.payout.done')
    }
    const { outcome } = await requestPayoutOnce(actionContextOf(ctx), amount, formKey)
    return doneAndRedirect(ctx, PAYOUT_OUTCOME_MESSAGES[outcome])
  }
}
