import { SmokeFailure } from '#services/smoke/smoke_failure'
import { expectSuccess } from '#services/smoke/expect_response'
import type { Party } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

const BINDING_CODE = /^[\w-]{32}$/

/**
 * A one-time code to link a Telegram chat. The code is checked for shape
 * only and never printed: it is a credential until it expires.
 */
export async function requestBindingCode(run: SmokeRun, party: Party) {
  await run.step(`telegram binding code for ${party.label}`, async () => {
    const response = await run.http.request('POST', '/api/telegram/binding', {
      token: party.token,
    })
    const data = expectSuccess(response, 201)
    if (typeof data.code !== 'string' || !BINDING_CODE.test(data.code)) {
      throw new SmokeFailure('expected data.code: 32 base64url characters', response)
    }
    if (data.deepLink !== null && !String(data.deepLink).endsWith(`?start=${data.code}`)) {
      throw new SmokeFailure('expected data.deepLink to end with ?start=<code>', response)
    }
    if (typeof data.expiresAt !== 'string' || Date.parse(data.expiresAt) <= Date.now()) {
      throw new SmokeFailure('expected data.expiresAt in the future', response)
    }
  })
}
