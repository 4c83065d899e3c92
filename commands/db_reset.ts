import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Drops every table (users, sessions, tokens included) and migrates again.
 * Cookies and tokens issued before the reset then answer SESSION_INVALID.
 */
export default class DbReset extends BaseCommand {
  static commandName = 'db:reset'
  static description = 'Drop every table and run all migrations again (destroys all data)'

  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Required to wipe a production database' })
  declare force: boolean

  async run() {
    if (this.app.inProduction && !this.force) {
      this.logger.error('Refusing to wipe a production database without --force')
      this.exitCode = 1
      return
    }
    const fresh = await this.kernel.exec('migration:fresh', ['--force'])
    this.exitCode = fresh.exitCode ?? 0
    if (this.exitCode === 0) {
      this.logger.success('Database reset: every table dropped and migrated again')
    }
  }
}
