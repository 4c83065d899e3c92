import { flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { SmokeTargetCommand } from '#services/smoke/smoke_target_command'
import { resolveReleaseOptions } from '#services/release/release_options'
import { runReleaseCheck, type ReleaseReport } from '#services/release/run_release_check'

/**
 * Every item of the release checklist (DESIGN.md §8) against a running
 * server, from next to its database: a table for people, `--json` for CI,
 * progress on stderr, exit 1 on any miss. Needs what smoke needs (an admin,
 * the outbox consumer) and the telegram worker.
 */
export default class ReleaseCheck extends SmokeTargetCommand {
  static commandName = 'release:check'
  static description =
    'Check every release checklist item against --base-url; non-zero exit on any miss'

  static options: CommandOptions = { startApp: true }

  @flags.array({ description: 'A log file of the run to scan for personal data (repeatable)' })
  declare logs?: string[]

  async run() {
    const { given, environment } = this.smokeFlags()
    const resolved = await resolveReleaseOptions({ ...given, logs: this.logs ?? [] }, environment)
    if ('problem' in resolved) {
      this.exitCode = 1
      if (this.json) {
        this.logger.log(JSON.stringify({ ok: false, error: resolved.problem, items: [] }))
      } else {
        this.logger.error(`release:check cannot run: ${resolved.problem}`)
      }
      return
    }

    const report = await runReleaseCheck(resolved.options, (line) =>
      this.logger.logError(this.logger.prepareInfo(line))
    )
    if (this.json) {
      this.logger.log(JSON.stringify(report))
    } else {
      this.#print(report)
    }
    this.exitCode = report.ok ? 0 : 1
  }

  #print(report: ReleaseReport) {
    const table = this.ui.table()
    table.head(['#', 'item', 'result', 'what it checked', 'evidence'])
    for (const item of report.items) {
      table.row([
        String(item.item),
        item.name,
        item.ok ? 'ok' : 'MISS',
        item.checked,
        item.evidence,
      ])
    }
    table.render()
    const misses = report.items.filter((item) => !item.ok)
    for (const item of misses) {
      this.logger.log(`MISS ${item.item} ${item.name}: ${item.evidence}`)
      for (const detail of item.details) {
        this.logger.log(`  ${detail}`)
      }
    }
    if (misses.length === 0) {
      this.logger.success(`release:check passed: 5 of 5 items ok in ${report.durationMs} ms`)
    } else {
      this.logger.error(
        `release:check failed: ${misses.length} of ${report.items.length} item(s) MISS (${misses.map((item) => item.name).join(', ')})`
      )
    }
  }
}
