import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import ace from '@adonisjs/core/services/ace'
import DemoPrepare from '#commands/demo_prepare'
import DemoSeeder from '#database/seeders/demo_seeder'
import { verifyLedger } from '#services/ledger/verify_ledger'
import { truncateAll } from '#tests/support/database'
import { makeUser } from '#tests/support/auth'
import { draftOffer } from '#tests/support/marketplace'

async function prepare() {
  const command = await ace.create(DemoPrepare, [])
  command.ui.switchMode('raw')
  await command.exec()
  const output = command.ui.logger
    .getLogs()
    .map((log) => log.message)
    .join('\n')
  return { exitCode: command.exitCode, output }
}

async function statuses(table: string) {
  const rows = await db.from(table).distinct('status').orderBy('status')
  return rows.map((row) => row.status)
}

test.group('demo seeder', (group) => {
  group.each.setup(() => truncateAll())

  test('seeds two brands, three creators and a marketplace in motion, once', async ({ assert }) => {
    await new DemoSeeder(db.connection()).run()
    await new DemoSeeder(db.connection()).run()

    const roles = await db
      .from('users')
      .select('role')
      .count('* as total')
      .groupBy('role')
      .orderBy('role')
    assert.deepEqual(
      roles.map((row) => [row.role, Number(row.total)]),
      [
        ['admin', 1],
        ['brand', 2],
        ['creator', 3],
      ]
    )
    assert.deepEqual(await statuses('offers'), ['closed', 'draft', 'published'])
    assert.deepEqual(await statuses('applications'), [
      'approved',
      'pending',
      'rejected',
      'withdrawn',
    ])
    assert.deepEqual(await statuses('invites'), ['accepted', 'declined', 'pending'])
    assert.deepEqual(await statuses('deals'), ['cancelled', 'completed', 'funded', 'submitted'])
    assert.deepEqual(await statuses('payout_requests'), ['paid', 'requested'])
    assert.deepEqual(await verifyLedger(), [])
    const offers = await db.from('offers').count('* as total').first()
    assert.equal(Number(offers.total), 5)
  })

  test('a database with offers of its own gets no demo account, the public-password admin included', async ({
    assert,
  }) => {
    await draftOffer(await makeUser('brand'))
    await new DemoSeeder(db.connection()).run()
    const demo = await db.from('users').whereLike('email', '%@demo.collab')
    assert.lengthOf(demo, 0)
  })

  test('demo:prepare prints only logins that exist', async ({ assert }) => {
    const fresh = await prepare()
    assert.equal(fresh.exitCode, 0)
    assert.include(fresh.output, 'admin@demo.collab')
    assert.include(fresh.output, 'demo-password')

    await truncateAll()
    await draftOffer(await makeUser('brand'))
    const foreign = await prepare()
    assert.equal(foreign.exitCode, 0)
    assert.include(foreign.output, 'No demo accounts')
    assert.notInclude(foreign.output, 'demo-password')
  }).timeout(60_000)
})
