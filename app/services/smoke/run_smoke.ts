import { SmokeFailure, failureReport, type FailureReport } from '#services/smoke/smoke_failure'
import { expectSuccess, type ApiRecord } from '#services/smoke/expect_response'
import { SmokeRun, type SmokeOptions, type StepResult } from '#services/smoke/smoke_run'
import { revokeToken, signUpCast, type Party } from '#services/smoke/smoke_parties'
import {
  approveApplication,
  closeOffer,
  closeOfferQuietly,
  createOffer,
  inviteApplyWithdraw,
  publishOffer,
} from '#services/smoke/offer_flow'
import { fundDeal, reviewAndRelease } from '#services/smoke/deal_flow'
import { payOut } from '#services/smoke/payout_flow'
import { requestBindingCode } from '#services/smoke/telegram_binding'
import {
  hidesOthersRecords,
  listsEveryInvalidField,
  refusesIllegalTransition,
  refusesMalformedJson,
  refusesMissingCredentials,
  refusesReusedKey,
  refusesRevokedToken,
  refusesWrongRole,
  replaysIdempotentRequest,
} from '#services/smoke/contract_cases'

export type SmokeReport = {
  ok: boolean
  baseUrl: string
  runId: string
  startedAt: string
  durationMs: number
  steps: StepResult[]
  failure: FailureReport | null
}

/**
 * The whole marketplace flow over HTTP (DESIGN.md §7), with the negative
 * contract cases where the flow has what they need. The first failing step
 * ends the run; the report says which one and why.
 */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const run = new SmokeRun(options)
  const startedAt = new Date()
  let failure: FailureReport | null = null
  let admin: Party | undefined
  let openOffer: { brand: Party; offer: ApiRecord } | undefined
  try {
    await checkHealth(run)
    const cast = await signUpCast(run)
    admin = cast.admin
    await refusesMissingCredentials(run)
    await refusesWrongRole(run, cast.creator)

    const offer = await createOffer(run, cast.brand)
    await listsEveryInvalidField(run, cast.brand)
    await refusesMalformedJson(run, cast.brand)
    await publishOffer(run, cast.brand, offer)
    openOffer = { brand: cast.brand, offer }
    await refusesIllegalTransition(run, cast.brand, offer)

    const application = await inviteApplyWithdraw(run, cast, offer)
    const deal = await approveApplication(run, cast, application)
    await closeOffer(run, cast.brand, offer)
    openOffer = undefined
    await hidesOthersRecords(run, cast.secondCreator, deal)

    const funding = await fundDeal(run, cast, deal)
    await replaysIdempotentRequest(run, cast, deal, funding)
    await refusesReusedKey(run, cast, deal, funding)
    await reviewAndRelease(run, cast, deal)
    await payOut(run, cast)

    await requestBindingCode(run, cast.creator)
    await refusesRevokedToken(run, cast.secondCreator)
    admin = undefined
    await run.step('admin token revoked', () => revokeToken(run, cast.admin))
  } catch (error) {
    failure = failureReport(SmokeFailure.from(error))
  } finally {
    if (openOffer) {
      await closeOfferQuietly(run, openOffer.brand, openOffer.offer)
    }
    if (admin) {
      await revokeToken(run, admin).catch(() => undefined)
    }
  }
  return {
    ok: failure === null,
    baseUrl: options.baseUrl,
    runId: run.runId,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    steps: run.steps,
    failure,
  }
}

/**
 * 200 is enough: `degraded` (a stale worker) still serves requests, and a
 * missing consumer shows up as a notification that never arrives.
 */
async function checkHealth(run: SmokeRun) {
  await run.step('health', async () => {
    expectSuccess(await run.http.request('GET', '/api/health'), 200)
  })
}
