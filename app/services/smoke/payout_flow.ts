import { awaitNotification } from '#services/smoke/await_notification'
import { SmokeFailure } from '#services/smoke/smoke_failure'
import {
  expectSuccess,
  integerIn,
  isJsonObject,
  recordIn,
  type ApiRecord,
} from '#services/smoke/expect_response'
import type { Cast } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

/**
 * The creator withdraws everything the release made available; the admin
 * approves the request and marks it paid.
 */
export async function payOut(run: SmokeRun, cast: Cast) {
  const available = await run.step('creator balance after release', async () => {
    const response = await run.http.request('GET', '/api/balance', { token: cast.creator.token })
    const data = expectSuccess(response, 200)
    if (!isJsonObject(data.balance)) {
      throw new SmokeFailure('expected data.balance', response)
    }
    const amount = integerIn(response, data.balance, 'available')
    if (amount === 0) {
      throw new SmokeFailure('the release left the creator nothing available', response)
    }
    return amount
  })

  const payout = await run.step('creator requests payout', async () => {
    const response = await run.http.request('POST', '/api/payouts', {
      token: cast.creator.token,
      json: { amount: available },
    })
    return recordIn(response, expectSuccess(response, 201), 'payout', 'requested')
  })

  await decide(run, cast, payout, 'approve', 'approved')
  await awaitNotification(run, cast.creator, 'payout_approved', { payoutId: payout.id })

  await decide(run, cast, payout, 'mark-paid', 'paid')
  await awaitNotification(run, cast.creator, 'payout_paid', { payoutId: payout.id })
}

async function decide(
  run: SmokeRun,
  cast: Cast,
  payout: ApiRecord,
  action: 'approve' | 'mark-paid',
  status: string
) {
  const label = action === 'approve' ? 'admin approves payout' : 'admin marks payout paid'
  await run.step(label, async () => {
    const response = await run.http.request('POST', `/api/admin/payouts/${payout.id}/${action}`, {
      token: cast.admin.token,
      json: {},
    })
    recordIn(response, expectSuccess(response, 200), 'payout', status)
  })
}
