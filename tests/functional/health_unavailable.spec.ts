import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { withUnreachableDatabase } from '#tests/support/unreachable_database'
import { party } from '#tests/support/marketplace'
import { baseUrl } from '#tests/support/http'

test.group('GET /api/health when the database is down', () => {
  test('answers 503 with ok:false and the failing check', async ({ client, assert }) => {
    await withUnreachableDatabase(async () => {
      const response = await client.get('/api/health')
      response.assertStatus(503)
      const body = response.body()
      assert.isFalse(body.ok)
      assert.equal(body.error.code, 'SERVICE_UNAVAILABLE')
      assert.isTrue(body.error.retryable)
      assert.isString(body.requestId)
      assert.equal(body.data.status, 'error')
      assert.equal(body.data.checks.database.status, 'error')
      assert.equal(body.data.checks.database.message, 'Cannot reach the database')
      const shown = JSON.stringify(body)
      for (const detail of ['127.0.0.1', 'postgres', 'nonexistent-dir', 'ECONNREFUSED']) {
        assert.notInclude(shown, detail, 'the driver message is for the log only')
      }
    })
    const after = await client.get('/api/health')
    after.assertStatus(200)
  })

  test('answers 503 naming the pending migration when one is not applied', async ({
    client,
    assert,
  }) => {
    const last = await db.from('adonis_schema').orderBy('id', 'desc').firstOrFail()
    await db.from('adonis_schema').where('id', last.id).delete()
    try {
      const response = await client.get('/api/health')
      response.assertStatus(503)
      assert.equal(response.body().data.checks.database.status, 'ok')
      assert.equal(response.body().data.checks.migrations.status, 'error')
    } finally {
      await db.table('adonis_schema').insert(last)
    }
    const after = await client.get('/api/health')
    after.assertStatus(200)
  })
})

test.group('API routes when the database is down', () => {
  test('answer 503 SERVICE_UNAVAILABLE with Retry-After, not a 500, and show no driver detail', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    await withUnreachableDatabase(async () => {
      const responses = [
        await client.get('/api/me').bearerToken(creator.token),
        await client
          .post('/api/auth/tokens')
          .json({ email: 'someone@example.com', password: 'a-password-1' }),
        await client.get('/api/offers'),
      ]
      for (const response of responses) {
        response.assertStatus(503)
        assert.equal(response.body().error.code, 'SERVICE_UNAVAILABLE')
        assert.isTrue(response.body().error.retryable)
        assert.equal(response.header('retry-after'), '5')
        const shown = JSON.stringify(response.body())
        for (const detail of ['127.0.0.1', 'nonexistent-dir', 'ECONNREFUSED', 'SQLITE']) {
          assert.notInclude(shown, detail)
        }
      }
    })
    const after = await client.get('/api/health')
    after.assertStatus(200)
  })

  test('a web page answers the error page with 503 and Retry-After, not a 500', async ({
    assert,
  }) => {
    await withUnreachableDatabase(async () => {
      const page = await fetch(`${baseUrl()}/offers`, { headers: { accept: 'text/html' } })
      assert.equal(page.status, 503)
      assert.equal(page.headers.get('retry-after'), '5')
      assert.include(page.headers.get('content-type'), 'text/html')
      assert.include(await page.text(), 'Сервис временно недоступен')
    })
  })
})
