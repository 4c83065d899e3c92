import type { ActionContext } from '#services/action_context'
import { requestPayout } from '#services/payouts/request_payout'
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
} from '#services/idempotency/idempotency_keys'

const WEB_FORM_ROUTE = 'POST /payouts (web form)'

/**
 * A payout request from the web form, made once per form shown and
 * amount: the page gives each form a key, and the same form sent again (a
 * reload, a second click without JavaScript, a retry after a timeout)
 * finds the request it already made instead of making another, as the
 * API's Idempotency-Key does. The same form sent with another amount (Back,
 * then edited) is a new request, itself made once. `in_progress`: the
 * first sending is still being handled, and may yet fail.
 */
export async function requestPayoutOnce(
  action: ActionContext,
  amount: number,
  formKey: string
): Promise<{ outcome: 'made' | 'repeated' | 'in_progress' }> {
  const claim = await claimIdempotencyKey(
    action.actor.id,
    `web-form:${formKey}:${amount}`,
    WEB_FORM_ROUTE,
    requestFingerprint(WEB_FORM_ROUTE, {}, { amount })
  )
  switch (claim.kind) {
    case 'replay':
    case 'reused':
      return { outcome: 'repeated' }
    case 'in_use':
      return { outcome: 'in_progress' }
  }
  try {
    const payout = await requestPayout(action, amount, claim.id)
    await completeIdempotencyKey(claim, 201, { payoutId: payout.id })
  } catch (error) {
    await releaseIdempotencyKey(claim)
    throw error
  }
  return { outcome: 'made' }
}
