import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits, tokenFor } from '#tests/support/auth'

/**
 * A user with a token taken before they were blocked.
 */
async function blockedUserWithToken() {
  const user = await makeUser()
  const token = await tokenFor(user)
  user.blockedAt = DateTime.now()
  await user.save()
  return { user, token }
}

test.group('auth: register, login, tokens, me, logout', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('register creates a creator and never returns the password', async ({ client, assert }) => {
    const response = await client.post('/api/auth/register').json({
      email: '  New.Creator@Example.TEST ',
      password: DEFAULT_PASSWORD,
      role: 'creator',
      displayName: 'Аня',
    })
    response.assertStatus(201)
    const { user } = response.body().data
    assert.equal(user.email, 'new.creator@example.test')
    assert.equal(user.role, 'creator')
    assert.notProperty(user, 'password')
    assert.isFalse(user.blocked)
  })

  test('register refuses the admin role', async ({ client, assert }) => {
    const response = await client.post('/api/auth/register').json({
      email: 'root@example.test',
      password: DEFAULT_PASSWORD,
      role: 'admin',
      displayName: 'Root',
    })
    response.assertStatus(422)
    assert.deepEqual(
      response.body().error.fields.map((f: { field: string }) => f.field),
      ['role']
    )
    const count = await db.from('users').count('* as total').first()
    assert.equal(Number(count.total), 0)
  })

  test('an e-mail is unique whatever its case', async ({ client, assert }) => {
    await makeUser('brand', { email: 'taken@example.test' })
    const response = await client.post('/api/auth/register').json({
      email: 'TAKEN@example.test',
      password: DEFAULT_PASSWORD,
      role: 'creator',
      displayName: 'Dup',
    })
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'CONFLICT')
  })

  test('an e-mail is one address whether its accents come composed or decomposed', async ({
    client,
    assert,
  }) => {
    const composed = 'caf\u00e9@example.test'
    const decomposed = 'cafe\u0301@example.test'
    const registered = await client.post('/api/auth/register').json({
      email: decomposed,
      password: DEFAULT_PASSWORD,
      role: 'creator',
      displayName: 'Кафе',
    })
    registered.assertStatus(201)
    assert.equal(registered.body().data.user.email, composed)

    const again = await client.post('/api/auth/register').json({
      email: composed,
      password: DEFAULT_PASSWORD,
      role: 'brand',
      displayName: 'Кафе 2',
    })
    again.assertStatus(409)
    for (const email of [composed, decomposed]) {
      const login = await client
        .post('/api/auth/tokens')
        .json({ email, password: DEFAULT_PASSWORD })
      login.assertStatus(201)
    }
    const users = await db.from('users').count('* as total').first()
    assert.equal(Number(users.total), 1)
  })

  test('a raw insert of a case variant is refused by the database', async ({ assert }) => {
    await makeUser('brand', { email: 'raw@example.test' })
    const now = new Date()
    await assert.rejects(() =>
      db.table('users').insert({
        email: 'RAW@example.test',
        password: 'x',
        role: 'creator',
        display_name: 'x',
        created_at: now,
        updated_at: now,
      })
    )
  })

  test('login sets a session cookie that /api/me accepts; logout ends it', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('brand')
    const login = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    login.assertStatus(200)
    const cookies = login.cookies()
    assert.property(cookies, 'collab_session')

    const me = await client
      .get('/api/me')
      .withCookie('collab_session', cookies.collab_session.value)
    me.assertStatus(200)
    assert.equal(me.body().data.user.id, user.id)

    const logout = await client
      .post('/api/auth/logout')
      .withCookie('collab_session', cookies.collab_session.value)
    logout.assertStatus(200)

    const after = await client
      .get('/api/me')
      .withCookie('collab_session', cookies.collab_session.value)
    after.assertStatus(401)
    assert.equal(after.body().error.code, 'UNAUTHENTICATED', 'a signed-out session is not stale')
  })

  test('wrong password is 401 UNAUTHENTICATED and sets no session', async ({ client, assert }) => {
    const user = await makeUser()
    const response = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: 'wrong password' })
    response.assertStatus(401)
    assert.equal(response.body().error.code, 'UNAUTHENTICATED')
  })

  test('a token from POST /api/auth/tokens works as Bearer until revoked', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('creator')
    const issued = await client
      .post('/api/auth/tokens')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    issued.assertStatus(201)
    const token = issued.body().data.token
    assert.match(token, /^clb_/)

    const me = await client.get('/api/me').bearerToken(token)
    me.assertStatus(200)
    assert.equal(me.body().data.user.id, user.id)

    const revoke = await client.delete('/api/auth/tokens/current').bearerToken(token)
    revoke.assertStatus(200)

    const after = await client.get('/api/me').bearerToken(token)
    after.assertStatus(401)
    assert.equal(after.body().error.code, 'SESSION_INVALID')
  })

  test('revoking the current token over a session cookie is a CONFLICT', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const login = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    const response = await client
      .delete('/api/auth/tokens/current')
      .withCookie('collab_session', login.cookies().collab_session.value)
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'CONFLICT')
  })

  test('no credentials is 401 UNAUTHENTICATED', async ({ client, assert }) => {
    const response = await client.get('/api/me')
    response.assertStatus(401)
    assert.equal(response.body().error.code, 'UNAUTHENTICATED')
  })

  test('a made-up Bearer token is 401 SESSION_INVALID: {label}')
    .with([
      { label: 'an id that is not a number', token: 'clb_bm9uZQ.bm90LWEtdG9rZW4' },
      {
        label: 'an id larger than any token id',
        token: `clb_${Buffer.from('2147483648').toString('base64url')}.bm90LWEtdG9rZW4`,
      },
    ])
    .run(async ({ client, assert }, { token }) => {
      const response = await client.get('/api/me').bearerToken(token)
      response.assertStatus(401)
      assert.equal(response.body().error.code, 'SESSION_INVALID')
    })

  test('a blocked user is FORBIDDEN on login, tokens and authenticated routes', async ({
    client,
    assert,
  }) => {
    const { user, token } = await blockedUserWithToken()

    const me = await client.get('/api/me').bearerToken(token)
    me.assertStatus(403)
    assert.equal(me.body().error.code, 'FORBIDDEN')

    const login = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    login.assertStatus(403)
    const tokens = await client
      .post('/api/auth/tokens')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    tokens.assertStatus(403)
  })

  test('a blocked user may still sign out: the token is revoked, the rest stays FORBIDDEN', async ({
    client,
    assert,
  }) => {
    const { user, token } = await blockedUserWithToken()

    const logout = await client.post('/api/auth/logout').bearerToken(token)
    logout.assertStatus(200)
    assert.isTrue(logout.body().data.signedOut)
    const tokens = await db.from('auth_access_tokens').where('tokenable_id', user.id)
    assert.lengthOf(tokens, 0)

    const after = await client.get('/api/me').bearerToken(token)
    assert.equal(after.body().error.code, 'SESSION_INVALID')
    const revoke = await client.delete('/api/auth/tokens/current').bearerToken(token)
    revoke.assertStatus(401)
  })
})
