import { SmokeFailure } from '#services/smoke/smoke_failure'
import {
  expectError,
  expectSuccess,
  integerIn,
  isJsonObject,
  type ApiRecord,
} from '#services/smoke/expect_response'
import type { Funding } from '#services/smoke/deal_flow'
import type { Cast, Party } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

/**
 * The negative side of the API contract (docs/API.md, error catalogue): each
 * case sends one request the server must refuse with a given status and
 * code, in the error envelope, echoing the request id.
 */

export async function refusesMissingCredentials(run: SmokeRun) {
  await run.step('401 UNAUTHENTICATED without credentials', async () => {
    expectError(await run.http.request('GET', '/api/me'), 401, 'UNAUTHENTICATED')
  })
}

export async function refusesWrongRole(run: SmokeRun, creator: Party) {
  await run.step('403 FORBIDDEN for a creator on an admin route', async () => {
    const response = await run.http.request('GET', '/api/admin/payouts', { token: creator.token })
    expectError(response, 403, 'FORBIDDEN')
  })
}

export async function listsEveryInvalidField(run: SmokeRun, brand: Party) {
  await run.step('422 VALIDATION_ERROR lists every invalid field', async () => {
    const response = await run.http.request('POST', '/api/offers', {
      token: brand.token,
      json: { title: 'x', budget: '500000' },
    })
    const error = expectError(response, 422, 'VALIDATION_ERROR')
    const fields = Array.isArray(error.fields) ? error.fields : []
    const wellFormed = fields.every(
      (entry) =>
        isJsonObject(entry) &&
        ['field', 'rule', 'message'].every((key) => typeof entry[key] === 'string')
    )
    if (!wellFormed) {
      throw new SmokeFailure('expected error.fields of { field, rule, message }', response)
    }
    const named = new Set(fields.map((entry) => (entry as { field: string }).field))
    const missing = ['title', 'brief', 'budget'].filter((field) => !named.has(field))
    if (missing.length > 0) {
      throw new SmokeFailure(`error.fields does not name ${missing.join(', ')}`, response)
    }
  })
}

export async function refusesMalformedJson(run: SmokeRun, brand: Party) {
  await run.step('400 BAD_REQUEST for malformed JSON', async () => {
    const response = await run.http.request('POST', '/api/offers', {
      token: brand.token,
      rawBody: '{"title": "Smoke",',
    })
    expectError(response, 400, 'BAD_REQUEST')
  })
}

export async function refusesIllegalTransition(run: SmokeRun, brand: Party, offer: ApiRecord) {
  await run.step('409 CONFLICT publishing a published offer', async () => {
    const response = await run.http.request('POST', `/api/offers/${offer.id}/publish`, {
      token: brand.token,
    })
    expectError(response, 409, 'CONFLICT')
  })
}

export async function hidesOthersRecords(run: SmokeRun, outsider: Party, deal: ApiRecord) {
  await run.step(`404 NOT_FOUND for a deal the ${outsider.label} is not in`, async () => {
    const response = await run.http.request('GET', `/api/deals/${deal.id}`, {
      token: outsider.token,
    })
    expectError(response, 404, 'NOT_FOUND')
  })
}

/**
 * Same key, same body: the first answer again, byte for byte in content,
 * and no new ledger row.
 */
export async function replaysIdempotentRequest(
  run: SmokeRun,
  cast: Cast,
  deal: ApiRecord,
  funding: Funding
) {
  await run.step('Idempotency-Key replay: same answer, no second effect', async () => {
    const before = await brandLedgerRows(run, cast.brand)
    const response = await run.http.request('POST', `/api/deals/${deal.id}/fund`, {
      token: cast.brand.token,
      json: {},
      headers: { 'idempotency-key': funding.idempotencyKey },
    })
    if (response.status !== funding.response.status) {
      throw new SmokeFailure(
        `expected the first status ${funding.response.status}, got ${response.status}`,
        response
      )
    }
    if (response.headers.get('idempotent-replayed') !== 'true') {
      throw new SmokeFailure('expected the header Idempotent-Replayed: true', response)
    }
    if (canonicalJson(response.body) !== canonicalJson(funding.response.body)) {
      throw new SmokeFailure('the replayed body differs from the first answer', response)
    }
    const after = await brandLedgerRows(run, cast.brand)
    if (after !== before) {
      throw new SmokeFailure(`the replay changed the ledger (${before} → ${after} rows)`, response)
    }
  })
}

export async function refusesReusedKey(
  run: SmokeRun,
  cast: Cast,
  deal: ApiRecord,
  funding: Funding
) {
  await run.step('409 IDEMPOTENCY_KEY_REUSED for the key with another body', async () => {
    const response = await run.http.request('POST', `/api/deals/${deal.id}/fund`, {
      token: cast.brand.token,
      json: { note: 'another body' },
      headers: { 'idempotency-key': funding.idempotencyKey },
    })
    expectError(response, 409, 'IDEMPOTENCY_KEY_REUSED')
  })
}

/**
 * Logging out with a Bearer token revokes it; the same token afterwards
 * points to nothing, which is SESSION_INVALID, not UNAUTHENTICATED.
 */
export async function refusesRevokedToken(run: SmokeRun, party: Party) {
  await run.step(`${party.label} logs out`, async () => {
    const response = await run.http.request('POST', '/api/auth/logout', { token: party.token })
    if (expectSuccess(response, 200).signedOut !== true) {
      throw new SmokeFailure('expected data.signedOut: true', response)
    }
  })
  await run.step('401 SESSION_INVALID with the revoked token', async () => {
    const response = await run.http.request('GET', '/api/me', { token: party.token })
    expectError(response, 401, 'SESSION_INVALID')
  })
}

async function brandLedgerRows(run: SmokeRun, brand: Party) {
  const response = await run.http.request('GET', '/api/ledger?perPage=1', { token: brand.token })
  return integerIn(response, expectSuccess(response, 200), 'total')
}

/**
 * JSON with object keys sorted: a stored body may come back with its keys
 * in another order (PostgreSQL jsonb), which is the same answer.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isJsonObject(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((key) => [key, inner[key]])
        )
      : inner
  )
}
