import { test } from '@japa/runner'
import { gzipSync } from 'node:zlib'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { logQuery } from '#services/database/query_log'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits, tokenFor } from '#tests/support/auth'
import { baseUrl } from '#tests/support/http'
import { party } from '#tests/support/marketplace'
import { logLinesSince, logMark, logTextSince } from '#tests/support/logs'

const registration = {
  email: 'contract@example.test',
  password: DEFAULT_PASSWORD,
  role: 'creator',
  displayName: 'Контракт',
}

async function userCount() {
  const row = await db.from('users').count('* as total').first()
  return Number(row.total)
}

test.group('contract: envelope, request id, bad input', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('a valid X-Request-Id is echoed in the header and the body', async ({ client, assert }) => {
    const response = await client.get('/api/health').header('X-Request-Id', 'client-req-12345')
    assert.equal(response.header('x-request-id'), 'client-req-12345')
    assert.equal(response.body().requestId, 'client-req-12345')
  })

  test('a malformed X-Request-Id is replaced by a generated one', async ({ client, assert }) => {
    for (const bad of ['bad id with spaces', 'x', 'a'.repeat(300), '<script>alert(1)</script>']) {
      const response = await client.get('/api/health').header('X-Request-Id', bad)
      const id = response.header('x-request-id')
      assert.notEqual(id, bad)
      assert.match(id ?? '', /^[0-9a-f-]{36}$/)
      assert.equal(response.body().requestId, id)
    }
  })

  test('validation errors list every invalid field at once and change nothing', async ({
    client,
    assert,
  }) => {
    const response = await client.post('/api/auth/register').json({
      email: 'not-an-email',
      password: 'short',
      role: 'admin',
      displayName: 'x'.repeat(81),
    })
    response.assertStatus(422)
    const { error } = response.body()
    assert.equal(error.code, 'VALIDATION_ERROR')
    assert.isFalse(error.retryable)
    assert.isString(error.requestId)
    assert.sameMembers(
      error.fields.map((f: { field: string }) => f.field),
      ['email', 'password', 'role', 'displayName']
    )
    for (const field of error.fields) {
      assert.properties(field, ['field', 'rule', 'message'])
    }
    assert.equal(await userCount(), 0)
  })

  test('missing and wrongly typed fields are 422 too', async ({ client, assert }) => {
    const missing = await client.post('/api/auth/register').json({})
    missing.assertStatus(422)
    assert.lengthOf(missing.body().error.fields, 4)

    const wrongType = await client
      .post('/api/auth/register')
      .json({ ...registration, password: 12345678 })
    wrongType.assertStatus(422)
    assert.deepEqual(
      wrongType.body().error.fields.map((f: { field: string }) => f.field),
      ['password']
    )
  })

  test('malformed JSON is 400 BAD_REQUEST', async ({ assert }) => {
    const response = await fetch(`${baseUrl()}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": "a@b.c", ',
    })
    assert.equal(response.status, 400)
    const body = (await response.json()) as { error: { code: string } }
    assert.equal(body.error.code, 'BAD_REQUEST')
    assert.equal(await userCount(), 0)
  })

  test('a compressed body is 400 BAD_REQUEST, corrupt or not, on the API and the web, and changes nothing', async ({
    assert,
  }) => {
    const json = JSON.stringify(registration)
    const bodies = [
      { encoding: 'gzip', body: Buffer.from('not gzip at all') },
      { encoding: 'gzip', body: gzipSync(json).subarray(0, 12) },
      { encoding: 'deflate', body: Buffer.from('x') },
      { encoding: 'br', body: Buffer.from('x') },
      { encoding: 'GZIP', body: gzipSync(json) },
    ]
    for (const { encoding, body } of bodies) {
      const api = await fetch(`${baseUrl()}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      })
      assert.equal(api.status, 400, encoding)
      const answer = (await api.json()) as { error: { code: string; message: string } }
      assert.equal(answer.error.code, 'BAD_REQUEST')
      assert.include(answer.error.message, 'Content-Encoding')

      const web = await fetch(`${baseUrl()}/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-encoding': encoding,
        },
        body,
        redirect: 'manual',
      })
      assert.isBelow(web.status, 500, `web ${encoding}`)
    }
    assert.equal(await userCount(), 0)

    const plain = await fetch(`${baseUrl()}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: json,
    })
    assert.equal(plain.status, 201)
  })

  test('an oversized body is 413 PAYLOAD_TOO_LARGE', async ({ client, assert }) => {
    const response = await client
      .post('/api/auth/register')
      .json({ ...registration, displayName: 'x'.repeat(200 * 1024) })
    response.assertStatus(413)
    assert.equal(response.body().error.code, 'PAYLOAD_TOO_LARGE')
    assert.equal(await userCount(), 0)
  })

  test('U+0000 in a query string or a body is 422 naming the field, on any route, and changes nothing', async ({
    assert,
  }) => {
    const brandToken = await tokenFor(await makeUser('brand'))
    const creatorToken = await tokenFor(await makeUser('creator'))
    const users = await userCount()
    const answers = [
      {
        fields: ['q'],
        response: await fetch(`${baseUrl()}/api/offers?q=a%00b`, {
          headers: { authorization: `Bearer ${creatorToken}` },
        }),
      },
      {
        fields: ['brief', 'title'],
        response: await fetch(`${baseUrl()}/api/offers`, {
          method: 'POST',
          headers: { 'authorization': `Bearer ${brandToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'Обзор\u0000', brief: '\u0000', budget: 1000 }),
        }),
      },
      {
        fields: ['ti\\u0000tle'],
        response: await fetch(`${baseUrl()}/api/offers`, {
          method: 'POST',
          headers: { 'authorization': `Bearer ${brandToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ 'ti\u0000tle': 'Обзор', 'brief': 'x', 'budget': 1000 }),
        }),
      },
      {
        fields: ['displayName'],
        response: await fetch(`${baseUrl()}/api/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...registration, displayName: 'Ник\u0000' }),
        }),
      },
      {
        fields: ['email'],
        response: await fetch(`${baseUrl()}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `email=a%00%40example.test&password=${DEFAULT_PASSWORD}`,
        }),
      },
    ]
    for (const { fields, response } of answers) {
      const text = await response.text()
      assert.equal(response.status, 422, text)
      assert.notInclude(text, '\u0000', 'the answer echoes no NUL')
      const { error } = JSON.parse(text) as {
        error: { code: string; fields: Array<{ field: string; rule: string; message: string }> }
      }
      assert.equal(error.code, 'VALIDATION_ERROR')
      assert.deepEqual(
        error.fields.map(({ field }) => field),
        fields
      )
      assert.equal(error.fields[0].rule, 'nulCharacter')
      assert.equal(error.fields[0].message, 'Содержит недопустимый символ U+0000')
    }
    assert.equal(await userCount(), users)
    const offers = await db.from('offers').count('* as total').first()
    assert.equal(Number(offers.total), 0)

    const page = await fetch(`${baseUrl()}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=a%00%40example.test&password=${DEFAULT_PASSWORD}`,
      redirect: 'manual',
    })
    assert.equal(page.status, 400, 'a web form gets the error page, not a 500')
    assert.include(page.headers.get('content-type'), 'text/html')
  })

  test('a lone UTF-16 surrogate in a body is a validation error and stores nothing', async ({
    assert,
  }) => {
    const { token } = await party('brand')
    const response = await fetch(`${baseUrl()}/api/offers`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"title":"Обзор \\ud800 самоката","brief":"x","budget":1000}',
    })

    assert.equal(response.status, 422)
    const { error } = (await response.json()) as {
      error: { code: string; fields: Array<{ field: string; rule: string }> }
    }
    assert.equal(error.code, 'VALIDATION_ERROR')
    assert.deepEqual(
      error.fields.map(({ field, rule }) => [field, rule]),
      [['title', 'unpairedSurrogate']]
    )
    const offers = await db.from('offers').count('* as total').first()
    assert.equal(Number(offers.total), 0)
  })

  test('an unknown /api path or method is 404 NOT_FOUND in the envelope', async ({
    client,
    assert,
  }) => {
    for (const response of [
      await client.get('/api/does-not-exist'),
      await client.delete('/api/health'),
      await client.put('/api/me'),
      await client.get('/api/auth/register'),
    ]) {
      response.assertStatus(404)
      assert.equal(response.body().error.code, 'NOT_FOUND')
      assert.isFalse(response.body().ok)
    }
  })

  test('an HTML Accept header still gets JSON on /api', async ({ client, assert }) => {
    const response = await client.get('/api/does-not-exist').header('accept', 'text/html')
    response.assertStatus(404)
    assert.include(response.header('content-type'), 'application/json')
  })

  test('an unexpected error is 500 INTERNAL with no stack, SQL or PII; the log has the detail', async ({
    client,
    assert,
  }) => {
    await db.rawQuery('ALTER TABLE users RENAME TO users_moved_away')
    const mark = logMark()
    try {
      const response = await client
        .post('/api/auth/register')
        .header('X-Request-Id', 'internal-error-test-1')
        .json({ ...registration, email: 'leak.me@example.test' })
      response.assertStatus(500)
      const body = JSON.stringify(response.body())
      assert.equal(response.body().error.code, 'INTERNAL')
      assert.isTrue(response.body().error.retryable)
      assert.notMatch(body, /users|insert|select|leak\.me|stack|\.ts:/i)

      const logged = logLinesSince(mark).find(
        (line) => line.requestId === 'internal-error-test-1' && line.level === 50
      )
      assert.exists(logged, 'the error is logged under the request id')
      assert.isString(logged!.err.stack)
      assert.notInclude(logTextSince(mark), 'leak.me@example.test')
      assert.notInclude(logTextSince(mark), '$scrypt$')
      assert.notInclude(logTextSince(mark), 'Контракт')
    } finally {
      await db.rawQuery('ALTER TABLE users_moved_away RENAME TO users')
    }
  })

  test("with DB_QUERY_LOG, a request's query lines carry its request id and no values", async ({
    client,
    assert,
    cleanup,
  }) => {
    const user = await makeUser('creator', { email: 'query.log@example.test' })
    const token = await tokenFor(user)
    const connection = db.manager.get(db.primaryConnectionName)!
    connection.config.debug = true
    emitter.on('db:query', logQuery)
    cleanup(() => {
      connection.config.debug = false
      emitter.off('db:query', logQuery)
    })
    const mark = logMark()

    const response = await client
      .get('/api/me')
      .bearerToken(token)
      .header('X-Request-Id', 'query-log-test-1')
    response.assertStatus(200)
    await new Promise((resolve) => setImmediate(resolve))

    const queries = logLinesSince(mark).filter((line) => line.msg === 'query')
    assert.isAbove(queries.length, 0)
    for (const line of queries) {
      assert.equal(line.requestId, 'query-log-test-1', line.sql)
    }
    assert.notInclude(logTextSince(mark), 'query.log@example.test')
  })

  test('parallel sign-ups with one e-mail: one 201, the rest CONFLICT, never 500', async ({
    client,
    assert,
  }) => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        client.post('/api/auth/register').json({
          ...registration,
          email: i % 2 ? 'race@example.test' : 'RACE@example.test',
        })
      )
    )
    const statuses = responses.map((r) => r.status()).sort()
    assert.deepEqual(statuses, [201, 409, 409, 409, 409])
    assert.equal(await userCount(), 1)
  })
})
