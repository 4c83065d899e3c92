import db from '@adonisjs/lucid/services/db'

/**
 * Points the default connection at a database that cannot be reached, and
 * puts the real configuration back afterwards.
 */
export async function withUnreachableDatabase(callback: () => Promise<void>) {
  const name = db.primaryConnectionName
  const original = db.manager.get(name)!.config
  const unreachable =
    original.client === 'pg'
      ? { ...original, connection: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'x' } }
      : { ...original, connection: { filename: '/nonexistent-dir/unreachable.sqlite3' } }

  await db.manager.close(name)
  db.manager.patch(name, unreachable as typeof original)
  db.manager.connect(name)
  try {
    await callback()
  } finally {
    await db.manager.close(name)
    db.manager.patch(name, original)
    db.manager.connect(name)
  }
}
