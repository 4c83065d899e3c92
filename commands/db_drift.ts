import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { reasonOf } from '#exceptions/schema_check_error'
import { detectDrift } from '#services/schema/detect_drift'
import { pingConnection } from '#services/schema/ping_connection'
import { resolveConnection } from '#services/schema/resolve_connection'

/**
 * Compares the live schema with a scratch database migrated from zero and
 * prints each difference; exits non-zero when there is any.
 */
export default class DbDrift extends BaseCommand {
  static commandName = 'db:drift'
  static description =
    'Compare the live schema with what the migrations build from zero; non-zero exit on any difference'

  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Connection to check (default: DB_CONNECTION)' })
  declare connection?: string

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json: boolean

  async run() {
    try {
      const connectionName = resolveConnection(this.connection)
      await pingConnection(connectionName)
      const report = await detectDrift(connectionName, (step) => {
        if (!this.json) this.logger.info(step)
      })
      const drift = report.differences.length > 0
      this.exitCode = drift ? 1 : 0

      if (this.json) {
        this.logger.log(JSON.stringify({ ok: !drift, connection: connectionName, ...report }))
        return
      }
      for (const difference of report.differences) {
        this.logger.log(difference.message)
      }
      const pending = report.pendingMigrations
      if (pending.length > 0) {
        const named = pending.length > 3 ? [...pending.slice(0, 3), '…'] : pending
        this.logger.warning(
          `${pending.length} migration(s) not applied yet (node ace db:deploy runs them): ${named.join(', ')}`
        )
      }
      if (drift) {
        this.logger.error(
          `Drift: ${report.differences.length} difference(s) between the live schema and the migrations`
        )
      } else {
        this.logger.success('No drift: the live schema matches the migrations')
      }
    } catch (error) {
      this.exitCode = 1
      if (this.json) {
        this.logger.log(JSON.stringify({ ok: false, error: reasonOf(error) }))
      } else {
        this.logger.error(reasonOf(error))
      }
    }
  }
}
