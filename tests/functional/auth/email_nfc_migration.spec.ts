import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import NormalizeUsersEmailNfc from '#database/migrations/0049_normalize_users_email_nfc'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits } from '#tests/support/auth'

const COMPOSED = 'caf\u00e9@example.test'
const DECOMPOSED = 'cafe\u0301@example.test'

/** An account whose e-mail was stored, before NFC, in the form given. */
async function storedAs(email: string) {
  const user = await makeUser('creator')
  await db.from('users').where('id', user.id).update({ email })
  return user
}

function migrate() {
  return new NormalizeUsersEmailNfc(db.connection(), 'test', false).execUp()
}

async function emailOf(userId: number) {
  const row = await db.from('users').where('id', userId).select('email').firstOrFail()
  return row.email as string
}

test.group('migration 0049: stored e-mails in Unicode NFC', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('an address stored decomposed is stored composed, and its owner signs in with it again', async ({
    client,
    assert,
  }) => {
    const user = await storedAs(DECOMPOSED)
    const other = await makeUser('brand')

    await migrate()

    assert.equal(await emailOf(user.id), COMPOSED)
    assert.equal(await emailOf(other.id), other.email)
    const signIn = await client
      .post('/api/auth/tokens')
      .json({ email: DECOMPOSED, password: DEFAULT_PASSWORD })
    signIn.assertStatus(201)
  })

  test('two accounts whose addresses differ only in form stop it, named, with nothing changed', async ({
    assert,
  }) => {
    const decomposed = await storedAs(DECOMPOSED)
    const composed = await storedAs(COMPOSED)

    const refusal = await migrate().catch((error: Error) => error)

    assert.instanceOf(refusal, Error)
    assert.include((refusal as Error).message, `user ids ${decomposed.id}, ${composed.id}`)
    assert.equal(await emailOf(decomposed.id), DECOMPOSED)
  })
})
