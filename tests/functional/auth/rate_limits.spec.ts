import { test } from '@japa/runner'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits } from '#tests/support/auth'
import { AUTH_LIMITS } from '#start/limiter'

test.group('rate limits on register, login and tokens', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })
  group.teardown(() => resetRateLimits())

  test('logins for one e-mail beyond the limit get 429 RATE_LIMITED with Retry-After', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    for (let i = 0; i < AUTH_LIMITS.perEmailPerMinute; i++) {
      const response = await client
        .post('/api/auth/login')
        .json({ email: user.email, password: 'wrong' })
      response.assertStatus(401)
    }
    const limited = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    limited.assertStatus(429)
    assert.equal(limited.body().error.code, 'RATE_LIMITED')
    assert.isTrue(limited.body().error.retryable)
    assert.isAbove(Number(limited.header('retry-after')), 0)

    const tokens = await client
      .post('/api/auth/tokens')
      .json({ email: user.email.toUpperCase(), password: DEFAULT_PASSWORD })
    tokens.assertStatus(429)

    const otherUser = await makeUser()
    const other = await client
      .post('/api/auth/login')
      .json({ email: otherUser.email, password: DEFAULT_PASSWORD })
    other.assertStatus(200)
  })

  test('requests from one IP beyond the limit get 429 whatever the e-mail', async ({
    client,
    assert,
  }) => {
    for (let i = 0; i < AUTH_LIMITS.perIpPerMinute; i++) {
      const response = await client.post('/api/auth/register').json({
        email: `ip${i}@example.test`,
        password: DEFAULT_PASSWORD,
        role: 'brand',
        displayName: `B${i}`,
      })
      response.assertStatus(201)
    }
    const limited = await client.post('/api/auth/register').json({
      email: 'one-more@example.test',
      password: DEFAULT_PASSWORD,
      role: 'brand',
      displayName: 'B',
    })
    limited.assertStatus(429)
    assert.equal(limited.body().error.code, 'RATE_LIMITED')
    assert.exists(limited.header('retry-after'))
  })
})
