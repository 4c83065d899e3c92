import { test } from '@japa/runner'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { logLinesSince, logMark, logTextSince } from '#tests/support/logs'

test.group('logs', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('register → login → token → me → logout logs one line per request and no PII', async ({
    client,
    assert,
  }) => {
    const email = 'private.person@example.test'
    const password = 'my secret passphrase 42'
    const mark = logMark()

    const register = await client
      .post('/api/auth/register')
      .json({ email, password, role: 'creator', displayName: 'Тайна' })
    register.assertStatus(201)
    const login = await client.post('/api/auth/login').json({ email, password })
    login.assertStatus(200)
    const cookie = login.cookies().collab_session.value
    const issued = await client.post('/api/auth/tokens').json({ email, password })
    const token: string = issued.body().data.token
    const me = await client.get('/api/me').bearerToken(token)
    me.assertStatus(200)
    const logout = await client.post('/api/auth/logout').withCookie('collab_session', cookie)
    logout.assertStatus(200)

    const text = logTextSince(mark)
    assert.notInclude(text, email)
    assert.notInclude(text, password)
    assert.notInclude(text, token)
    assert.notInclude(text, token.split('.')[1])
    assert.notInclude(text, cookie)

    const requests = logLinesSince(mark).filter((line) => line.msg === 'request')
    assert.deepEqual(
      requests.map((line) => `${line.method} ${line.route} ${line.status}`),
      [
        'POST /api/auth/register 201',
        'POST /api/auth/login 200',
        'POST /api/auth/tokens 201',
        'GET /api/me 200',
        'POST /api/auth/logout 200',
      ]
    )
    for (const line of requests) {
      assert.isString(line.requestId)
      assert.isNumber(line.durationMs)
      assert.property(line, 'userId')
    }
    assert.equal(requests[3].userId, me.body().data.user.id)
  })

  test('the logger redacts sensitive keys wherever they sit', async ({ assert }) => {
    const { default: logger } = await import('@adonisjs/core/services/logger')
    const mark = logMark()
    logger.info(
      {
        email: 'a@b.example',
        user: { phone: '+79990001122', password: 'p' },
        headers: {
          'authorization': 'Bearer abc',
          'cookie': 'collab_session=xyz',
          'x-telegram-bot-api-secret-token': 'tg-secret-1',
          'x-payment-signature': 'sig-2',
        },
        token: 'tkn',
        profile: { displayName: 'Маша Рисует', display_name: 'Маша' },
        from: { first_name: 'Петя', last_name: 'Снимает', username: 'petya_snimaet' },
        accessToken: 'clb_access',
      },
      'redaction probe'
    )
    const text = logTextSince(mark)
    for (const secret of [
      'a@b.example',
      '+79990001122',
      'Bearer abc',
      'collab_session=xyz',
      'tkn',
      'tg-secret-1',
      'sig-2',
      'Маша',
      'Петя',
      'Снимает',
      'petya_snimaet',
      'clb_access',
    ]) {
      assert.notInclude(text, secret)
    }
    assert.include(text, 'redaction probe')
  })
})
