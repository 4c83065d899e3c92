import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { BaseCheck, Result } from '@adonisjs/core/health'
import { MigrationRunner } from '@adonisjs/lucid/migration'

/**
 * Healthy when every migration file on disk has been applied to the
 * database the application is connected to.
 */
export class MigrationsCheck extends BaseCheck {
  name = 'migrations'

  async run() {
    let migrations
    try {
      migrations = await new MigrationRunner(db, app, { direction: 'up', dryRun: true }).getList()
    } catch (error) {
      return Result.failed('Cannot read the migrations table', error as Error)
    }
    const pending = migrations.filter((migration) => migration.status === 'pending')
    if (pending.length > 0) {
      return Result.failed(`${pending.length} migration(s) pending`).mergeMetaData({
        pending: pending.map((migration) => migration.name),
      })
    }
    return Result.ok('All migrations applied').mergeMetaData({ applied: migrations.length })
  }
}
