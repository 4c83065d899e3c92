import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { toApiError } from '#exceptions/api_error'
import { truncateAll } from '#tests/support/database'
import { makeUser } from '#tests/support/auth'

async function errorOf(action: () => Promise<unknown>) {
  try {
    await action()
  } catch (error) {
    return error
  }
  throw new Error('expected the action to fail')
}

test.group('database constraint errors map to contract codes', (group) => {
  group.each.setup(() => truncateAll())

  test('a unique violation is CONFLICT', async ({ assert }) => {
    const user = await makeUser()
    const now = new Date()
    const error = await errorOf(() =>
      db.table('users').insert({
        email: user.email,
        password: 'x',
        role: 'brand',
        display_name: 'Dup',
        created_at: now,
        updated_at: now,
      })
    )
    assert.equal(toApiError(error).code, 'CONFLICT')
  })

  test('a foreign key violation is NOT_FOUND', async ({ assert }) => {
    const now = new Date()
    const error = await errorOf(() =>
      db.table('auth_access_tokens').insert({
        tokenable_id: 987654,
        type: 'auth_token',
        hash: 'x',
        abilities: '[]',
        created_at: now,
        updated_at: now,
      })
    )
    assert.equal(toApiError(error).code, 'NOT_FOUND')
  })

  test('a check violation is CONFLICT', async ({ assert }) => {
    const now = new Date()
    const error = await errorOf(() =>
      db.table('users').insert({
        email: 'check@example.test',
        password: 'x',
        role: 'superuser',
        display_name: 'Bad role',
        created_at: now,
        updated_at: now,
      })
    )
    assert.equal(toApiError(error).code, 'CONFLICT')
  })

  test('anything unknown is INTERNAL', ({ assert }) => {
    assert.equal(toApiError(new Error('boom')).code, 'INTERNAL')
    assert.equal(toApiError(undefined).code, 'INTERNAL')
  })
})
