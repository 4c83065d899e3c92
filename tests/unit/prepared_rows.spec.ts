import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { preparedRows } from '#services/database/prepared_rows'
import { truncateAll } from '#tests/support/database'
import { makeUser } from '#tests/support/auth'

const onPostgres = process.env.DB_CONNECTION === 'pg'

test.group('prepared rows', (group) => {
  group.each.setup(() => truncateAll())

  test('reads what the query reads, as plain rows, for any bindings', async ({ assert }) => {
    const brand = await makeUser('brand')
    const creator = await makeUser('creator')
    const byRole = (role: string) =>
      User.query().select('users.id', 'users.role').where('role', role).orderBy('id')

    for (const [role, user] of [
      ['brand', brand],
      ['creator', creator],
      ['brand', brand],
    ] as const) {
      const rows = await preparedRows(byRole(role))
      assert.deepEqual(rows, [{ id: user.id, role }])
      assert.notInstanceOf(rows[0], User)
    }
    assert.deepEqual(await preparedRows(byRole('admin')), [])
  })

  test('PostgreSQL parses a statement once per connection, under a name its text decides', async ({
    assert,
  }) => {
    await db.transaction(async (trx) => {
      const since = (id: number) => trx.query().from('users').select('id').where('id', '>', id)
      await preparedRows(since(0))
      await preparedRows(since(10))
      await preparedRows(trx.query().from('users').select('id').where('id', '<', 0))

      const prepared = await trx.rawQuery(
        `SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'collab_%' AND statement LIKE '%from "users" where "id"%'
         ORDER BY statement`
      )
      assert.lengthOf(prepared.rows, 2)
      assert.match(prepared.rows[0].statement, /"id" < \$1/)
      assert.match(prepared.rows[1].statement, /"id" > \$1/)
      assert.notEqual(prepared.rows[0].name, prepared.rows[1].name)
    })
  }).skip(!onPostgres, 'a PostgreSQL feature')
})
