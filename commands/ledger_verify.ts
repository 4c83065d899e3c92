import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { verifyLedger } from '#services/ledger/verify_ledger'

/**
 * Checks the ledger's invariants and lists every violation; exits non-zero
 * when there is any.
 */
export default class LedgerVerify extends BaseCommand {
  static commandName = 'ledger:verify'
  static description =
    'Verify the ledger: balanced transactions, no negative creator balances, deals and payouts moved the money their status says, holds equal approved payouts'

  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the result as JSON' })
  declare json: boolean

  async run() {
    const violations = await verifyLedger()
    if (this.json) {
      this.logger.log(JSON.stringify({ ok: violations.length === 0, violations }))
    } else if (violations.length === 0) {
      this.logger.success('Ledger is consistent')
    } else {
      const table = this.ui.table()
      table.head(['check', 'detail'])
      for (const violation of violations) {
        table.row([violation.check, violation.detail])
      }
      this.logger.error(`${violations.length} ledger violation(s)`)
      table.render()
    }
    this.exitCode = violations.length === 0 ? 0 : 1
  }
}
