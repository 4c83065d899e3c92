import { awaitNotification } from '#services/smoke/await_notification'
import { expectSuccess, recordIn, type ApiRecord } from '#services/smoke/expect_response'
import type { SmokeResponse } from '#services/smoke/smoke_http'
import type { Cast } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

export type Funding = { idempotencyKey: string; response: SmokeResponse }

/**
 * The brand funds the deal through the configured provider (the sandbox
 * confirms at once), with an Idempotency-Key so that the contract cases can
 * replay and reuse it.
 */
export async function fundDeal(run: SmokeRun, cast: Cast, deal: ApiRecord): Promise<Funding> {
  const idempotencyKey = `smoke-${run.runId}-fund`
  const response = await run.step('brand funds deal', async () => {
    const funded = await run.http.request('POST', `/api/deals/${deal.id}/fund`, {
      token: cast.brand.token,
      json: {},
      headers: { 'idempotency-key': idempotencyKey },
    })
    recordIn(funded, expectSuccess(funded, 200), 'deal', 'funded')
    return funded
  })
  await awaitNotification(run, cast.creator, 'deal_funded', { dealId: deal.id })
  return { idempotencyKey, response }
}

/**
 * Two revisions: the brand sends the first back, then accepts the second
 * and so releases the escrow to the creator.
 */
export async function reviewAndRelease(run: SmokeRun, cast: Cast, deal: ApiRecord) {
  await submitWork(run, cast, deal, 1)

  await run.step('brand requests changes', async () => {
    const response = await run.http.request('POST', `/api/deals/${deal.id}/request-changes`, {
      token: cast.brand.token,
      json: { reason: 'Smoke: please add a caption' },
    })
    recordIn(response, expectSuccess(response, 200), 'deal', 'funded')
  })
  await awaitNotification(run, cast.creator, 'changes_requested', { dealId: deal.id })

  await submitWork(run, cast, deal, 2)

  await run.step('brand approves work (release)', async () => {
    const response = await run.http.request('POST', `/api/deals/${deal.id}/approve`, {
      token: cast.brand.token,
      json: {},
    })
    recordIn(response, expectSuccess(response, 200), 'deal', 'completed')
  })
  await awaitNotification(run, cast.creator, 'payment_released', { dealId: deal.id })
}

async function submitWork(run: SmokeRun, cast: Cast, deal: ApiRecord, revision: number) {
  const label = revision === 1 ? 'creator submits work' : `creator submits revision ${revision}`
  await run.step(label, async () => {
    const response = await run.http.request('POST', `/api/deals/${deal.id}/submit`, {
      token: cast.creator.token,
      json: { url: `https://example.com/smoke/${run.runId}/${revision}`, note: 'Smoke' },
    })
    const data = expectSuccess(response, 200)
    recordIn(response, data, 'deal', 'submitted')
    recordIn(response, data, 'submission')
  })
  await awaitNotification(
    run,
    cast.brand,
    'work_submitted',
    { dealId: deal.id, revision },
    `work_submitted (revision ${revision})`
  )
}
