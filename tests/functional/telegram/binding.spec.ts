import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party } from '#tests/support/marketplace'
import { logMark, logTextSince } from '#tests/support/logs'
import { hashBindingCode } from '#services/telegram/bindings'
import { toDbTimestamp } from '#services/database/timestamps'

test.group('Telegram binding API', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('POST gives a single-use code, its deep link and expiry; only the hash is stored', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const mark = logMark()
    const response = await client.post('/api/telegram/binding').bearerToken(creator.token)
    response.assertStatus(201)
    const { code, deepLink, expiresAt, binding } = response.body().data

    assert.match(code, /^[A-Za-z0-9_-]{32,64}$/)
    assert.isAtLeast(Buffer.from(code, 'base64url').length * 8, 128)
    assert.equal(deepLink, `https://t.me/collab_test_bot?start=${code}`)
    const minutes = DateTime.fromISO(expiresAt).diffNow('minutes').minutes
    assert.closeTo(minutes, 15, 0.5)
    assert.equal(binding.status, 'pending')

    const rows = await db.from('telegram_bindings')
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].code_hash, hashBindingCode(code))
    assert.notInclude(JSON.stringify(rows), code)
    assert.notInclude(logTextSince(mark), code)
  })

  test('binding again replaces the old binding', async ({ client, assert }) => {
    const creator = await party('creator')
    const first = await client.post('/api/telegram/binding').bearerToken(creator.token)
    const second = await client.post('/api/telegram/binding').bearerToken(creator.token)
    assert.notEqual(first.body().data.code, second.body().data.code)
    const rows = await db.from('telegram_bindings').orderBy('id')
    assert.deepEqual(
      rows.map((row) => [row.status, row.code_hash === null]),
      [
        ['revoked', true],
        ['pending', false],
      ]
    )
  })

  test('GET shows the current status, expired once the code is past its time', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const none = await client.get('/api/telegram/binding').bearerToken(creator.token)
    none.assertStatus(200)
    assert.isNull(none.body().data.binding)

    await client.post('/api/telegram/binding').bearerToken(creator.token)
    let shown = await client.get('/api/telegram/binding').bearerToken(creator.token)
    assert.equal(shown.body().data.binding.status, 'pending')
    assert.notProperty(shown.body().data.binding, 'chatId')

    await db
      .from('telegram_bindings')
      .update({ expires_at: toDbTimestamp(DateTime.now().minus({ minutes: 1 })) })
    shown = await client.get('/api/telegram/binding').bearerToken(creator.token)
    assert.equal(shown.body().data.binding.status, 'expired')
  })

  test('DELETE unbinds; a second DELETE finds nothing to unbind', async ({ client, assert }) => {
    const brand = await party('brand')
    await client.post('/api/telegram/binding').bearerToken(brand.token)
    const removed = await client.delete('/api/telegram/binding').bearerToken(brand.token)
    removed.assertStatus(200)
    assert.equal(removed.body().data.binding.status, 'revoked')
    const again = await client.delete('/api/telegram/binding').bearerToken(brand.token)
    again.assertStatus(404)
    assert.equal(again.body().error.code, 'NOT_FOUND')
  })

  test('the binding routes need a signed-in user', async ({ client }) => {
    ;(await client.post('/api/telegram/binding')).assertStatus(401)
    ;(await client.get('/api/telegram/binding')).assertStatus(401)
    ;(await client.delete('/api/telegram/binding')).assertStatus(401)
  })
})
