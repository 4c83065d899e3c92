import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#services/database/timestamps'

const onPostgres = process.env.DB_CONNECTION === 'pg'

test.group('database connection', () => {
  test('SQLite runs in WAL mode', async ({ assert }) => {
    const [journal] = await db.connection().rawQuery('PRAGMA journal_mode')
    assert.equal(String(journal.journal_mode).toLowerCase(), 'wal')
  }).skip(onPostgres, 'a SQLite setting')

  test('foreign keys are enforced', async ({ assert }) => {
    const now = dbNow()
    const orphan = db.table('offers').insert({
      brand_id: 2_000_000_000,
      title: 'Без бренда',
      brief: 'Бренда с таким id нет',
      search_text: 'без бренда',
      budget: 1000,
      currency: 'RUB',
      status: 'draft',
      created_at: now,
      updated_at: now,
    })
    await assert.rejects(() => orphan)
  })
})
