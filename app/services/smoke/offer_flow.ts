import { SmokeFailure } from '#services/smoke/smoke_failure'
import { awaitNotification } from '#services/smoke/await_notification'
import { expectSuccess, recordIn, type ApiRecord } from '#services/smoke/expect_response'
import type { Cast, Party } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

/** 5 000 ₽ in kopecks: well above the default minimum payout after the fee. */
export const SMOKE_BUDGET = 500_000

export async function createOffer(run: SmokeRun, brand: Party): Promise<ApiRecord> {
  return run.step('create offer', async () => {
    const response = await run.http.request('POST', '/api/offers', {
      token: brand.token,
      json: {
        title: `Smoke ${run.runId}`,
        brief: 'Проверка сквозного сценария (smoke)',
        budget: SMOKE_BUDGET,
      },
    })
    return recordIn(response, expectSuccess(response, 201), 'offer', 'draft')
  })
}

export async function publishOffer(run: SmokeRun, brand: Party, offer: ApiRecord) {
  await run.step('publish offer', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/publish`, {
      token: brand.token,
    })
    recordIn(response, expectSuccess(response, 200), 'offer', 'published')
  })
}

/**
 * The brand closes its offer once the run's deal is open, so that the run
 * leaves no published offer in the live marketplace for real creators to
 * apply to. The deal goes on: closing stops only new applications.
 */
export async function closeOffer(run: SmokeRun, brand: Party, offer: ApiRecord) {
  await run.step('close offer', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/close`, {
      token: brand.token,
    })
    recordIn(response, expectSuccess(response, 200), 'offer', 'closed')
  })
}

/**
 * After a failed run: the offer is closed if it can be, and any failure to
 * do so stays behind the one that ended the run.
 */
export async function closeOfferQuietly(run: SmokeRun, brand: Party, offer: ApiRecord) {
  await run.http
    .request('POST', `/api/offers/${offer.id}/close`, { token: brand.token })
    .catch(() => undefined)
}

/**
 * The brand invites the second creator, the creator applies, and the brand
 * withdraws the invite: both sides of the offer are exercised, and each
 * action's notification must reach the other party.
 */
export async function inviteApplyWithdraw(
  run: SmokeRun,
  cast: Cast,
  offer: ApiRecord
): Promise<ApiRecord> {
  const invite = await run.step('invite second creator', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/invites`, {
      token: cast.brand.token,
      json: { creatorId: cast.secondCreator.id, message: 'Smoke invite' },
    })
    return recordIn(response, expectSuccess(response, 201), 'invite', 'pending')
  })
  await awaitNotification(run, cast.secondCreator, 'invite_received', { inviteId: invite.id })

  const application = await run.step('creator applies', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/applications`, {
      token: cast.creator.token,
      json: { message: 'Smoke application' },
    })
    return recordIn(response, expectSuccess(response, 201), 'application', 'pending')
  })
  await awaitNotification(run, cast.brand, 'application_received', {
    applicationId: application.id,
  })

  await run.step('brand withdraws invite', async () => {
    const response = await run.http.request('POST', `/api/invites/${invite.id}/withdraw`, {
      token: cast.brand.token,
    })
    recordIn(response, expectSuccess(response, 200), 'invite', 'withdrawn')
  })
  await awaitNotification(run, cast.secondCreator, 'invite_withdrawn', { inviteId: invite.id })

  return application
}

/**
 * Approving the application opens the deal, for the offer's budget.
 */
export async function approveApplication(
  run: SmokeRun,
  cast: Cast,
  application: ApiRecord
): Promise<ApiRecord> {
  const deal = await run.step('brand approves application', async () => {
    const response = await run.http.request('POST', `/api/applications/${application.id}/approve`, {
      token: cast.brand.token,
    })
    const data = expectSuccess(response, 200)
    recordIn(response, data, 'application', 'approved')
    const opened = recordIn(response, data, 'deal', 'awaiting_funding')
    if (opened.amount !== SMOKE_BUDGET) {
      throw new SmokeFailure(
        `expected the deal's amount to be the budget, ${SMOKE_BUDGET}`,
        response
      )
    }
    return opened
  })
  await awaitNotification(run, cast.creator, 'application_approved', {
    applicationId: application.id,
  })
  await awaitNotification(run, cast.creator, 'deal_created', { dealId: deal.id })
  return deal
}
