import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits, tokenFor } from '#tests/support/auth'
import { LAST_USED_PRECISION_MS } from '#services/auth/access_tokens_provider'
import { sessionCookieName } from '#config/session'

async function lastUsedAt(tokenId: number) {
  const row = await db.from('auth_access_tokens').where('id', tokenId).first()
  return row.last_used_at === null ? null : new Date(row.last_used_at).getTime()
}

async function setLastUsedAt(tokenId: number, at: Date) {
  await db.from('auth_access_tokens').where('id', tokenId).update({ last_used_at: at })
}

function tokenIdOf(token: string) {
  return Number(Buffer.from(token.slice('clb_'.length).split('.')[0], 'base64url').toString())
}

test.group('auth: what a Bearer request costs', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('a Bearer request gets no session: no session cookie back and no session row', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('creator')
    const token = await tokenFor(user)
    const response = await client.get('/api/me').bearerToken(token)
    response.assertStatus(200)
    assert.notProperty(response.cookies(), sessionCookieName)
    const sessions = await db.from('sessions').count('* as total').first()
    assert.equal(Number(sessions.total), 0)
  })

  test('a session cookie still works on authenticated routes, beside or without a token', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('brand', { email: 'cookie@example.test' })
    const login = await client
      .post('/api/auth/login')
      .json({ email: 'cookie@example.test', password: DEFAULT_PASSWORD })
    login.assertStatus(200)
    const cookie = login.cookies()[sessionCookieName].value
    const viaCookie = await client.get('/api/me').withCookie(sessionCookieName, cookie)
    viaCookie.assertStatus(200)
    assert.equal(viaCookie.body().data.user.id, user.id)
    const logout = await client.post('/api/auth/logout').withCookie(sessionCookieName, cookie)
    logout.assertStatus(200)
    const afterLogout = await client.get('/api/me').withCookie(sessionCookieName, cookie)
    assert.equal(afterLogout.body().error.code, 'UNAUTHENTICATED', 'logout is not a stale session')
  })

  test('login with a stray Authorization header still signs in with a session', async ({
    client,
  }) => {
    await makeUser('creator', { email: 'stray@example.test' })
    const response = await client
      .post('/api/auth/login')
      .header('authorization', 'Bearer clb_not-a-token')
      .json({ email: 'stray@example.test', password: DEFAULT_PASSWORD })
    response.assertStatus(200)
    response.assertCookie(sessionCookieName)
  })

  test('a token after more than one space or a tab is the same token', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('creator')
    const token = await tokenFor(user)
    for (const header of [`Bearer  ${token}`, `Bearer\t${token}`, `bearer ${token} `]) {
      const response = await client.get('/api/me').header('authorization', header)
      response.assertStatus(200)
      assert.equal(response.body().data.user.id, user.id, JSON.stringify(header))
    }
    const revoked = await client
      .delete('/api/auth/tokens/current')
      .header('authorization', `Bearer   ${token}`)
    revoked.assertStatus(200)
    const after = await client.get('/api/me').bearerToken(token)
    assert.equal(after.body().error.code, 'SESSION_INVALID')
  })

  test('last_used_at is written by a verified token at most once per precision window', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('creator')
    const token = await tokenFor(user)
    const id = tokenIdOf(token)
    assert.isNull(await lastUsedAt(id))

    const before = Date.now()
    ;(await client.get('/api/me').bearerToken(token)).assertStatus(200)
    const first = await lastUsedAt(id)
    assert.isAtLeast(first!, before - 1000)

    const recent = new Date(Date.now() - LAST_USED_PRECISION_MS / 2)
    await setLastUsedAt(id, recent)
    ;(await client.get('/api/me').bearerToken(token)).assertStatus(200)
    assert.equal(await lastUsedAt(id), recent.getTime(), 'fresh enough: not rewritten')

    const old = new Date(Date.now() - LAST_USED_PRECISION_MS * 2)
    await setLastUsedAt(id, old)
    ;(await client.get('/api/me').bearerToken(token)).assertStatus(200)
    assert.isAbove((await lastUsedAt(id))!, old.getTime(), 'stale: rewritten')
  })

  test('a token id with a wrong secret is refused and writes nothing', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('creator')
    const token = await tokenFor(user)
    const id = tokenIdOf(token)
    const [prefixAndId] = token.split('.')
    const forged = `${prefixAndId}.${'x'.repeat(40)}`
    const response = await client.get('/api/me').bearerToken(forged)
    response.assertStatus(401)
    assert.equal(response.body().error.code, 'SESSION_INVALID')
    assert.isNull(await lastUsedAt(id))
  })
})
