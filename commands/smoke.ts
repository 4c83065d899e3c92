import type { CommandOptions } from '@adonisjs/core/types/ace'
import { SmokeTargetCommand } from '#services/smoke/smoke_target_command'
import { resolveSmokeOptions } from '#services/smoke/smoke_options'
import { runSmoke, type SmokeReport } from '#services/smoke/run_smoke'
import { failureLines, summaryLine, usageProblemReport } from '#services/smoke/smoke_output'

/**
 * The whole marketplace flow and the negative contract cases over HTTP,
 * against any running instance. Needs an admin (made with `user:create`)
 * and a running `outbox:consume`. Everything it writes belongs to users it
 * registers, apart from an admin token that it revokes at the end.
 */
export default class Smoke extends SmokeTargetCommand {
  static commandName = 'smoke'
  static description =
    'Run the marketplace flow and the contract cases over HTTP against --base-url'

  // HTTP only: the command never opens the database.
  static options: CommandOptions = { startApp: false }

  async run() {
    const { given, environment } = this.smokeFlags()
    const resolved = resolveSmokeOptions(given, environment)
    if ('problem' in resolved) {
      this.exitCode = 1
      if (this.json) {
        this.logger.log(JSON.stringify(usageProblemReport(resolved.problem)))
      } else {
        this.logger.error(resolved.problem)
      }
      return
    }

    const report = await runSmoke(resolved.options)
    if (this.json) {
      this.logger.log(JSON.stringify(report))
    } else {
      this.#print(report)
    }
    this.exitCode = report.ok ? 0 : 1
  }

  #print(report: SmokeReport) {
    if (report.steps.some((step) => step.ok)) {
      const table = this.ui.table()
      table.head(['step', 'result', 'ms'])
      for (const step of report.steps) {
        table.row([step.name, step.ok ? 'ok' : 'FAILED', String(step.ms)])
      }
      table.render()
    }
    if (report.ok) {
      this.logger.success(summaryLine(report))
      return
    }
    for (const line of failureLines(report)) {
      this.logger.error(line)
    }
  }
}
