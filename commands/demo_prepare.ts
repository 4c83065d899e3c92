import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import db from '@adonisjs/lucid/services/db'
import DemoSeeder, { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#database/seeders/demo_seeder'

/**
 * Migrates the embedded database, seeds the demo data (idempotently) and
 * prints the demo credentials. `npm run demo` runs it before the server.
 */
export default class DemoPrepare extends BaseCommand {
  static commandName = 'demo:prepare'
  static description = 'Migrate, seed demo data and print the demo logins'

  static options: CommandOptions = { startApp: true }

  async run() {
    if (this.app.inProduction) {
      this.logger.error('demo:prepare never runs in production')
      this.exitCode = 1
      return
    }
    const migrate = await this.kernel.exec('migration:run', ['--force'])
    if (migrate.exitCode) {
      this.exitCode = migrate.exitCode
      return
    }
    await new DemoSeeder(db.connection()).run()
    const consume = await this.kernel.exec('outbox:consume', ['--once'])
    if (consume.exitCode) {
      this.exitCode = consume.exitCode
      return
    }

    const existing = await db
      .from('users')
      .whereIn(
        'email',
        DEMO_ACCOUNTS.map((account) => account.email)
      )
      .select('email')
    const emails = new Set(existing.map((row) => row.email))
    const accounts = DEMO_ACCOUNTS.filter((account) => emails.has(account.email))
    if (accounts.length === 0) {
      this.logger.warning(
        'No demo accounts: this database already has offers of its own, so none were made'
      )
      return
    }
    const table = this.ui.table()
    table.head(['role', 'email', 'password'])
    for (const account of accounts) {
      table.row([account.role, account.email, DEMO_PASSWORD])
    }
    this.logger.info('Demo accounts:')
    table.render()
  }
}
