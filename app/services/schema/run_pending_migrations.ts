import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import { SchemaCheckError } from '#exceptions/schema_check_error'

/**
 * Applies the migrations the connection has not run yet, with Lucid's own
 * migrator (locks, transactions, bookkeeping as `migration:run`). Returns the
 * names applied; a failure names the migration that failed.
 */
export async function runPendingMigrations(
  connectionName: string,
  onMigrated: (name: string) => void = () => {}
) {
  const migrator = new MigrationRunner(db, app, { direction: 'up', connectionName })
  const migrated: string[] = []
  migrator.on('migration:completed', (file) => {
    migrated.push(file.file.name)
    onMigrated(file.file.name)
  })

  try {
    await migrator.run()
  } catch (error) {
    throw SchemaCheckError.because(`Cannot migrate (connection ${connectionName})`, error)
  }
  if (migrator.error) {
    const failed = Object.values(migrator.migratedFiles).find((file) => file.status === 'error')
    const what = failed
      ? `Migration ${failed.file.name} failed (connection ${connectionName})`
      : `Cannot migrate (connection ${connectionName})`
    throw SchemaCheckError.because(what, migrator.error)
  }
  return migrated
}
