import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'

test.group('database connection', () => {
  test('SQLite runs in WAL mode with foreign keys enforced', async ({ assert }) => {
    const connection = db.connection()
    if (connection.dialect.name !== 'better-sqlite3' && connection.dialect.name !== 'sqlite3') {
      assert.equal(connection.dialect.name, 'postgres')
      return
    }
    const [journal] = await connection.rawQuery('PRAGMA journal_mode')
    const [foreignKeys] = await connection.rawQuery('PRAGMA foreign_keys')
    assert.equal(String(journal.journal_mode).toLowerCase(), 'wal')
    assert.equal(Number(foreignKeys.foreign_keys), 1)
  })
})
