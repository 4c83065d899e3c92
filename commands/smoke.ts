import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { Secret } from '@adonisjs/core/helpers'
import env from '#start/env'
import { resolveSmokeOptions } from '#services/smoke/smoke_options'
import { runSmoke, type SmokeReport } from '#services/smoke/run_smoke'
import { failureLines, summaryLine, usageProblemReport } from '#services/smoke/smoke_output'

/**
 * The whole marketplace flow and the negative contract cases over HTTP,
 * against any running instance. Needs an admin (made with `user:create`)
 * and a running `outbox:consume`. Everything it writes belongs to users it
 * registers, apart from an admin token that it revokes at the end.
 */
export default class Smoke extends BaseCommand {
  static commandName = 'smoke'
  static description =
    'Run the marketplace flow and the contract cases over HTTP against --base-url'

  // HTTP only: the command never opens the database.
  static options: CommandOptions = { startApp: false }

  @flags.string({
    description: 'Where the server listens, e.g. http://127.0.0.1:3333',
    required: true,
  })
  declare baseUrl: string

  @flags.string({ description: 'Admin e-mail (default: SMOKE_ADMIN_EMAIL)' })
  declare adminEmail?: string

  @flags.string({ description: 'Admin password (default: SMOKE_ADMIN_PASSWORD)' })
  declare adminPassword?: string

  @flags.boolean({ description: 'Print one JSON document instead of the table' })
  declare json: boolean

  @flags.number({ description: 'Longest wait for each notification, in ms', default: 15_000 })
  declare waitMs: number

  @flags.number({ description: 'Longest wait for each HTTP answer, in ms', default: 10_000 })
  declare timeoutMs: number

  async run() {
    const environmentPassword = env.get('SMOKE_ADMIN_PASSWORD')
    const resolved = resolveSmokeOptions(
      {
        baseUrl: this.baseUrl,
        adminEmail: this.adminEmail,
        adminPassword: this.adminPassword,
        waitMs: this.waitMs,
        timeoutMs: this.timeoutMs,
      },
      {
        adminEmail: env.get('SMOKE_ADMIN_EMAIL'),
        // Validated at boot it is a Secret; set later (as tests do) a string.
        adminPassword:
          environmentPassword instanceof Secret
            ? environmentPassword.release()
            : environmentPassword,
      }
    )
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
