import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { reasonOf } from '#exceptions/schema_check_error'
import { detectDrift } from '#services/schema/detect_drift'
import { pingConnection } from '#services/schema/ping_connection'
import { resolveConnection } from '#services/schema/resolve_connection'
import { runPendingMigrations } from '#services/schema/run_pending_migrations'

/**
 * The deploy step before the new code starts: apply pending migrations, then
 * refuse a live schema that still differs from what the migrations build (a
 * column dropped by hand would otherwise fail only when a request reaches it).
 */
export default class DbDeploy extends BaseCommand {
  static commandName = 'db:deploy'
  static description = 'Run pending migrations, then fail when the live schema drifts from them'

  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Connection to deploy (default: DB_CONNECTION)' })
  declare connection?: string

  async run() {
    try {
      const connectionName = resolveConnection(this.connection)
      await pingConnection(connectionName)

      this.logger.info(`Running pending migrations (connection ${connectionName})`)
      const migrated = await runPendingMigrations(connectionName, (name) =>
        this.logger.log(`migrated ${name}`)
      )
      this.logger.info(
        migrated.length > 0 ? `${migrated.length} migration(s) applied` : 'No pending migrations'
      )

      const report = await detectDrift(connectionName, (step) => this.logger.info(step))
      if (report.differences.length > 0) {
        for (const difference of report.differences) {
          this.logger.log(difference.message)
        }
        this.exitCode = 1
        this.logger.error(
          `Deploy failed: the live schema differs from the migrations in ${report.differences.length} place(s); do not start the app on it (see docs/RELEASE.md)`
        )
        return
      }
      this.logger.success('Deployed: migrations applied, no drift')
    } catch (error) {
      this.exitCode = 1
      this.logger.error(reasonOf(error))
    }
  }
}
