import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { accounts, nameInSql, references } from '#services/ledger/accounts'

test.group('ledger names in SQL', () => {
  test('each name built in SQL is the name the code books under', async ({ assert }) => {
    const builders = [
      accounts.escrow,
      accounts.creatorAvailable,
      accounts.creatorHold,
      references.fund,
      references.payoutApprove,
      references.payoutPaid,
      references.payoutReject,
    ]
    for (const build of builders) {
      const row = await db
        .connection()
        .query()
        .select(db.raw(`${nameInSql(build, 'ids.id')} as name`))
        .from(db.connection().query().select(db.raw('42 as id')).as('ids'))
        .first()
      assert.equal(row.name, build(42))
    }
    assert.equal(
      nameInSql(accounts.creatorHold, 'p.creator_id'),
      `'creator:' || p.creator_id || ':payout_hold'`
    )
    assert.equal(nameInSql(accounts.escrow, 'd.id'), `'escrow:deal:' || d.id`)
  })
})
