import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { resolvePerfOptions } from '#services/perf/perf_options'
import { PerfProblem } from '#services/perf/perf_problem'
import { cellSql } from '#services/perf/perf_report'
import { runPerfCapture } from '#services/perf/run_perf_capture'

/**
 * Seeds a marketplace's worth of rows, runs the smoke flow and the list
 * reads of every role through the app's HTTP stack in this process with
 * every query recorded, and writes a report: query groups ranked by total
 * time, and the plans of the top ones. It writes rows: run it on a scratch
 * or staging database, never on production.
 */
export default class PerfCapture extends BaseCommand {
  static commandName = 'perf:capture'
  static description =
    'Record the queries of a fixed workload, rank them by total time, EXPLAIN the top ones'

  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Rows to seed, in units of 2 000 offers (0: none)', default: 1 })
  declare scale: number

  @flags.number({ description: 'Rounds of list reads after the smoke flow', default: 3 })
  declare rounds: number

  @flags.number({ description: 'How many of the top groups to EXPLAIN', default: 10 })
  declare explain: number

  @flags.string({ description: 'Report file (default: tmp/perf/report-<timestamp>.md)' })
  declare out?: string

  async run() {
    if (this.app.inProduction) {
      return this.#fail(
        'perf:capture refuses to run with NODE_ENV=production: it seeds rows; ' +
          'run it on a scratch or staging database'
      )
    }
    const resolved = resolvePerfOptions(
      { scale: this.scale, rounds: this.rounds, explain: this.explain, out: this.out },
      new Date()
    )
    if ('problem' in resolved) {
      return this.#fail(resolved.problem)
    }
    const { options } = resolved
    const commandLine =
      `node ace perf:capture --scale=${options.scale} --rounds=${options.rounds} ` +
      `--explain=${options.explain} --out=${options.out}`
    try {
      const { path, capture } = await runPerfCapture(options, commandLine, (line) =>
        this.logger.info(line)
      )
      const table = this.ui.table()
      table.head(['#', 'calls', 'total ms', 'p95 ms', 'SQL'])
      for (const [index, group] of capture.groups.slice(0, 10).entries()) {
        table.row([
          String(index + 1),
          String(group.calls),
          group.totalMs.toFixed(1),
          group.p95Ms.toFixed(2),
          cellSql(group.sql, 90),
        ])
      }
      table.render()
      this.logger.success(
        `${capture.queries} queries in ${capture.groups.length} groups; report: ${path}`
      )
      const { smoke, failures } = capture.workload
      if (!smoke.ok || failures.length > 0) {
        const what = smoke.ok
          ? `${failures.length} list read(s) not 2xx, first: ${failures[0]}`
          : `the smoke flow failed at "${smoke.failure?.step ?? 'unknown'}"`
        this.#fail(`perf:capture: the workload did not run clean: ${what} (see the report)`)
      }
    } catch (error) {
      // A problem the operator can fix, or anything else: one line either way.
      const prefix = error instanceof PerfProblem ? 'perf:capture' : 'perf:capture failed'
      this.#fail(`${prefix}: ${(error as Error).message}`)
    }
  }

  #fail(line: string) {
    this.logger.error(line)
    this.exitCode = 1
  }
}
