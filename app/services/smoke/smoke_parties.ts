import { randomBytes } from 'node:crypto'
import { SmokeFailure } from '#services/smoke/smoke_failure'
import { expectSuccess, recordIn } from '#services/smoke/expect_response'
import type { SmokeRun } from '#services/smoke/smoke_run'

export type Party = { label: string; id: number; token: string }

export type Cast = { brand: Party; creator: Party; secondCreator: Party; admin: Party }

/**
 * Fresh users for every run (the run id is in their e-mail addresses), each
 * with a Bearer token, plus a token for the operator-provided admin.
 * Seven requests count against the auth rate limit (20 a minute per IP).
 */
export async function signUpCast(run: SmokeRun): Promise<Cast> {
  const brand = await signUp(run, 'brand', 'brand')
  const creator = await signUp(run, 'creator', 'creator')
  const secondCreator = await signUp(run, 'creator', 'second creator')
  const admin = await signInAdmin(run)
  return { brand, creator, secondCreator, admin }
}

async function signUp(run: SmokeRun, role: 'brand' | 'creator', label: string): Promise<Party> {
  const email = `smoke-${run.runId}-${label.replace(' ', '-')}@example.test`
  const password = `smoke-${randomBytes(12).toString('base64url')}`
  const id = await run.step(`register ${label}`, async () => {
    const response = await run.http.request('POST', '/api/auth/register', {
      json: { email, password, role, displayName: `Smoke ${label}` },
    })
    return recordIn(response, expectSuccess(response, 201), 'user').id
  })
  const token = await run.step(`token for ${label}`, () => issueToken(run, email, password))
  return { label, id, token }
}

/**
 * The operator's token for the run. Once issued it is revoked on any later
 * failure of this step too (not an admin, /api/me failing): the run's own
 * cleanup only knows a token this step returned.
 */
async function signInAdmin(run: SmokeRun): Promise<Party> {
  const { email, password } = run.options.admin
  return run.step('token for admin', async () => {
    const token = await issueToken(run, email, password)
    try {
      const response = await run.http.request('GET', '/api/me', { token })
      const user = recordIn(response, expectSuccess(response, 200), 'user')
      if (user.role !== 'admin') {
        throw new SmokeFailure(
          `the admin credentials belong to a ${String(user.role)}, not an admin`,
          response
        )
      }
      return { label: 'admin', id: user.id, token }
    } catch (error) {
      await revokeToken(run, { token }).catch(() => undefined)
      throw error
    }
  })
}

async function issueToken(run: SmokeRun, email: string, password: string) {
  const response = await run.http.request('POST', '/api/auth/tokens', {
    json: { email, password, name: `smoke ${run.runId}` },
  })
  const data = expectSuccess(response, 201)
  if (typeof data.token !== 'string' || data.token === '') {
    throw new SmokeFailure('expected data.token', response)
  }
  return data.token
}

/**
 * The admin's token is the only credential a run leaves on a long-lived
 * account, so it is revoked at the end, also when the run failed.
 */
export async function revokeToken(run: SmokeRun, { token }: Pick<Party, 'token'>) {
  const response = await run.http.request('DELETE', '/api/auth/tokens/current', { token })
  return expectSuccess(response, 200)
}
