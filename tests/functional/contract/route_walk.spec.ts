import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import { ERROR_CATALOGUE } from '#exceptions/error_catalogue'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits, tokenFor } from '#tests/support/auth'
import { withUnreachableDatabase } from '#tests/support/unreachable_database'
import { MARKETPLACE_PROBES } from '#tests/support/probes/marketplace'
import { PAYMENT_PROBES } from '#tests/support/probes/payments'
import { TELEGRAM_PROBES } from '#tests/support/probes/telegram'
import type { RouteProbes } from '#tests/support/probes/types'

async function signedInCookie(client: ApiClient) {
  const user = await makeUser()
  const login = await client
    .post('/api/auth/login')
    .json({ email: user.email, password: DEFAULT_PASSWORD })
  return login.cookies().collab_session.value as string
}

/**
 * One success and one failure per /api route. A route added to the router
 * without a line here fails the walk.
 */
const PROBES: Record<string, RouteProbes> = {
  'GET /api/health': {
    success: (client) => client.get('/api/health'),
    failure: async (client) => {
      let response!: ApiResponse
      await withUnreachableDatabase(async () => {
        response = await client.get('/api/health')
      })
      return response
    },
  },
  'POST /api/auth/register': {
    success: (client) =>
      client.post('/api/auth/register').json({
        email: `walk-${Date.now()}@example.test`,
        password: DEFAULT_PASSWORD,
        role: 'brand',
        displayName: 'Walk',
      }),
    failure: (client) => client.post('/api/auth/register').json({ role: 'admin' }),
  },
  'POST /api/auth/login': {
    success: async (client) => {
      const user = await makeUser()
      return client.post('/api/auth/login').json({ email: user.email, password: DEFAULT_PASSWORD })
    },
    failure: (client) =>
      client.post('/api/auth/login').json({ email: 'nobody@example.test', password: 'x' }),
  },
  'POST /api/auth/tokens': {
    success: async (client) => {
      const user = await makeUser()
      return client.post('/api/auth/tokens').json({ email: user.email, password: DEFAULT_PASSWORD })
    },
    failure: (client) => client.post('/api/auth/tokens').json({ email: 'not-an-email' }),
  },
  'POST /api/auth/logout': {
    success: async (client) =>
      client.post('/api/auth/logout').withCookie('collab_session', await signedInCookie(client)),
    failure: (client) => client.post('/api/auth/logout'),
  },
  'DELETE /api/auth/tokens/current': {
    success: async (client) =>
      client.delete('/api/auth/tokens/current').bearerToken(await tokenFor(await makeUser())),
    failure: (client) => client.delete('/api/auth/tokens/current').bearerToken('clb_garbage'),
  },
  'GET /api/me': {
    success: async (client) =>
      client.get('/api/me').bearerToken(await tokenFor(await makeUser('brand'))),
    failure: (client) => client.get('/api/me'),
  },
  ...MARKETPLACE_PROBES,
  ...PAYMENT_PROBES,
  ...TELEGRAM_PROBES,
}

function apiRoutes() {
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => route.pattern.startsWith('/api'))
    .flatMap((route) =>
      route.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${route.pattern}`)
    )
}

test.group('contract: every /api route answers the envelope', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('every /api route has a probe', ({ assert }) => {
    assert.sameMembers(apiRoutes(), Object.keys(PROBES))
  })

  test('{$self}')
    .with(() => apiRoutes())
    .run(async ({ client, assert }, route) => {
      const probes = PROBES[route]
      assert.exists(probes, `no probe for ${route}`)

      const success = await probes.success(client)
      assert.oneOf(success.status(), [200, 201], `${route} success status`)
      assert.isTrue(success.body().ok)
      assert.property(success.body(), 'data')
      assert.equal(success.body().requestId, success.header('x-request-id'))

      const failure = await probes.failure(client)
      const { error } = failure.body()
      assert.isFalse(failure.body().ok)
      assert.property(ERROR_CATALOGUE, error.code)
      assert.equal(
        failure.status(),
        ERROR_CATALOGUE[error.code as keyof typeof ERROR_CATALOGUE].status
      )
      assert.equal(error.requestId, failure.header('x-request-id'))
      assert.isBoolean(error.retryable)
      assert.isString(error.message)
    })
})
