import { test } from '@japa/runner'

test.group('GET /api/health', () => {
  test('reports ok with the database and migrations checks', async ({ client, assert }) => {
    const response = await client.get('/api/health')
    response.assertStatus(200)
    const body = response.body()
    assert.isTrue(body.ok)
    assert.equal(body.data.status, 'ok')
    assert.equal(body.data.checks.database.status, 'ok')
    assert.equal(body.data.checks.migrations.status, 'ok')
    assert.deepEqual(body.data.checks.workers, [])
    assert.isString(body.requestId)
  })
})
