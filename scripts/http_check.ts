/*
|--------------------------------------------------------------------------
| HTTP check against a running server
|--------------------------------------------------------------------------
|
| register → login (cookie) → me → token → me (Bearer), over plain HTTP, with
| the contract envelope checked at each step. Used by .ci/run against the
| production build until `node ace smoke` exists. Exits non-zero on the
| first failure, printing the step, the status and the requestId.
|
| Usage: node scripts/http_check.ts http://127.0.0.1:3390
|
*/
const baseUrl = process.argv[2]
if (!baseUrl) {
  process.stderr.write('usage: node scripts/http_check.ts <base-url>\n')
  process.exit(2)
}

type Envelope = { ok: boolean; data?: any; error?: { code: string }; requestId?: string }

let passed = 0

async function step(
  name: string,
  path: string,
  init: RequestInit,
  expectedStatus: number
): Promise<{ body: Envelope; response: Response }> {
  const response = await fetch(new URL(path, baseUrl), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  })
  const text = await response.text()
  let body: Envelope
  try {
    body = JSON.parse(text)
  } catch {
    return fail(name, response.status, `non-JSON body: ${text.slice(0, 200)}`)
  }
  const requestId = body.requestId ?? (body.error as any)?.requestId
  if (response.status !== expectedStatus || body.ok !== expectedStatus < 400 || !requestId) {
    return fail(
      name,
      response.status,
      `${JSON.stringify(body).slice(0, 300)} requestId=${requestId}`
    )
  }
  passed += 1
  process.stdout.write(`ok   ${name} (${response.status}, requestId=${requestId})\n`)
  return { body, response }
}

function fail(name: string, status: number, detail: string): never {
  process.stdout.write(`FAIL ${name} (${status}): ${detail}\n`)
  process.stdout.write(`http-check: ${passed} passed, 1 failed\n`)
  process.exit(1)
}

const email = `ci-${Date.now()}@check.collab`
const password = 'ci-check-password'

await step('health', '/api/health', { method: 'GET' }, 200)
await step(
  'register',
  '/api/auth/register',
  {
    method: 'POST',
    body: JSON.stringify({ email, password, role: 'creator', displayName: 'CI' }),
  },
  201
)
const login = await step(
  'login',
  '/api/auth/login',
  { method: 'POST', body: JSON.stringify({ email, password }) },
  200
)
const cookie = login.response.headers
  .getSetCookie()
  .map((value) => value.split(';')[0])
  .join('; ')
const me = await step('me (cookie)', '/api/me', { method: 'GET', headers: { cookie } }, 200)
if (me.body.data.user.email !== email) {
  fail('me (cookie)', 200, 'returned another user')
}
const issued = await step(
  'token',
  '/api/auth/tokens',
  { method: 'POST', body: JSON.stringify({ email, password }) },
  201
)
const authorization = `Bearer ${issued.body.data.token}`
await step('me (bearer)', '/api/me', { method: 'GET', headers: { authorization } }, 200)
await step('me (no credentials)', '/api/me', { method: 'GET' }, 401)

process.stdout.write(`http-check: ${passed} passed, 0 failed\n`)
