import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits, tokenFor } from '#tests/support/auth'

const AUTHENTICATED_ROUTES = [
  ['get', '/api/me'],
  ['post', '/api/auth/logout'],
  ['delete', '/api/auth/tokens/current'],
] as const

test.group('stale sessions after db:reset', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('old cookies and tokens get 401 SESSION_INVALID on every authenticated route', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('brand')
    const token = await tokenFor(user)
    const login = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    const cookie = login.cookies().collab_session.value

    const reset = await ace.exec('db:reset', [])
    assert.equal(reset.exitCode, 0)

    // The same ids exist again after the reset: stale credentials must not
    // slide onto the new users.
    await makeUser('brand')
    await makeUser('creator')

    for (const [method, path] of AUTHENTICATED_ROUTES) {
      const viaCookie = await client[method](path).withCookie('collab_session', cookie)
      viaCookie.assertStatus(401)
      assert.equal(viaCookie.body().error.code, 'SESSION_INVALID', `${method} ${path} via cookie`)

      const viaToken = await client[method](path).bearerToken(token)
      viaToken.assertStatus(401)
      assert.equal(viaToken.body().error.code, 'SESSION_INVALID', `${method} ${path} via token`)

      const anonymous = await client[method](path)
      anonymous.assertStatus(401)
      assert.equal(anonymous.body().error.code, 'UNAUTHENTICATED', `${method} ${path} anonymous`)
    }
  })

  test('a session whose user was deleted is SESSION_INVALID', async ({ client, assert }) => {
    const user = await makeUser()
    const login = await client
      .post('/api/auth/login')
      .json({ email: user.email, password: DEFAULT_PASSWORD })
    const cookie = login.cookies().collab_session.value
    await user.delete()

    const response = await client.get('/api/me').withCookie('collab_session', cookie)
    response.assertStatus(401)
    assert.equal(response.body().error.code, 'SESSION_INVALID')
  })
})
