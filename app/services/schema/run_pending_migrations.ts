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
    // Lucid then fails to release the lock it never took, and that error
    // would hide the first and say the migrations completed.
    throw (
      lockHeldElsewhere(migrator.error, connectionName) ??
      SchemaCheckError.because(`Cannot migrate (connection ${connectionName})`, error)
    )
  }
  if (migrator.error) {
    const held = lockHeldElsewhere(migrator.error, connectionName)
    if (held) {
      throw held
    }
    const failed = Object.values(migrator.migratedFiles).find((file) => file.status === 'error')
    const what = failed
      ? `Migration ${failed.file.name} failed (connection ${connectionName})`
      : `Cannot migrate (connection ${connectionName})`
    throw SchemaCheckError.because(what, migrator.error)
  }
  return migrated
}

/**
 * Another deploy is migrating the same database (PostgreSQL's advisory
 * lock is taken): this one ran nothing and may simply be run again.
 */
function lockHeldElsewhere(error: unknown, connectionName: string) {
  if ((error as { code?: unknown } | null)?.code !== 'E_UNABLE_ACQUIRE_LOCK') {
    return null
  }
  return new SchemaCheckError(
    `Another deploy is migrating this database (connection ${connectionName}); no migration was run here. Run it again once that one has finished.`
  )
}
