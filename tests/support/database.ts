import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'

const KEEP_TABLES = new Set(['adonis_schema', 'adonis_schema_versions'])

/**
 * Drops every table and runs the migrations again.
 */
export async function rebuildDatabase() {
  const command = await ace.exec('migration:fresh', ['--force'])
  if (command.exitCode !== 0) {
    throw command.error ?? new Error('migration:fresh failed')
  }
}

/**
 * Empties every application table, for test groups that need a blank slate.
 */
export async function truncateAll() {
  const connection = db.connection()
  const isPostgres = connection.dialect.name === 'postgres'
  const allTables = await connection.getAllTables(isPostgres ? ['public'] : undefined)
  const tables = allTables.filter((table) => !KEEP_TABLES.has(table))
  if (isPostgres) {
    if (tables.length > 0) {
      await connection.rawQuery(
        `TRUNCATE ${tables.map((table) => `"${table}"`).join(', ')} RESTART IDENTITY CASCADE`
      )
    }
    return
  }
  await connection.rawQuery('PRAGMA foreign_keys = OFF')
  for (const table of tables) {
    await connection.from(table).delete()
  }
  await connection.rawQuery('PRAGMA foreign_keys = ON')
}
