import type { Plan } from '#services/perf/explain_query'
import type { QueryGroup } from '#services/perf/query_groups'
import type { WorkloadSummary } from '#services/perf/run_workload'
import type { Volume } from '#services/perf/seed_volume'

export type PerfCapture = {
  startedAt: Date
  durationMs: number
  command: string
  machine: string
  database: string
  scale: number
  rounds: number
  volume: Volume
  rowsAtStart: Record<string, number>
  workload: WorkloadSummary
  queries: number
  groups: QueryGroup[]
  plans: { rank: number; group: QueryGroup; plan: Plan }[]
}

const ms = (value: number) => value.toFixed(2)

/**
 * One statement on one line for a table cell: pipes escaped, long ones cut.
 */
export function cellSql(sql: string, width: number) {
  const short = sql.length > width ? `${sql.slice(0, width - 1)}…` : sql
  return short.replace(/\|/g, '\\|')
}

/**
 * The report: how it was measured, every query group ranked by total time,
 * then the plan of each of the top groups with the bindings it ran with.
 */
export function renderReport(capture: PerfCapture): string {
  const { workload } = capture
  const smoke = workload.smoke
  const lines = [
    '# perf:capture report',
    '',
    `- **When:** ${capture.startedAt.toISOString()} (${(capture.durationMs / 1000).toFixed(1)} s)`,
    `- **Command:** \`${capture.command}\``,
    `- **Machine:** ${capture.machine}`,
    `- **Database:** ${capture.database}`,
    `- **Seeded for this run (--scale ${capture.scale}):** ${Object.entries(capture.volume)
      .map(([table, rows]) => `${rows.toLocaleString('en-US')} ${table}`)
      .join(', ')}`,
    `- **Rows when the workload started:** ${Object.entries(capture.rowsAtStart)
      .map(([table, rows]) => `${rows.toLocaleString('en-US')} ${table}`)
      .join(', ')}`,
    `- **Workload:** the smoke flow (${smoke.steps.length} steps, ${
      smoke.ok ? 'green' : `FAILED at "${smoke.failure?.step ?? 'unknown'}"`
    }), three sign-ins, then ${capture.rounds} round(s) of the list reads as brand, creator ` +
      `and admin (${workload.reads} GET requests${
        workload.failures.length > 0 ? `, ${workload.failures.length} not 2xx` : ''
      }), with the outbox consumer running in the same process`,
    `- **Recorded:** ${capture.queries} queries in ${capture.groups.length} groups`,
    '',
    ...workload.failures.map((failure) => `> not 2xx: ${failure}`),
    '## Query groups by total time',
    '',
    'Literals and bind values are `?`, IN lists `(...)`. Times are as Lucid measured them ' +
      '(from sending the query to its answer, in this process). `rows`: rows read or changed, ' +
      'summed over the calls.',
    '',
    '| # | calls | total ms | mean ms | p95 ms | max ms | rows | SQL |',
    '|--:|------:|---------:|--------:|-------:|-------:|-----:|:----|',
    ...capture.groups.map(
      (group, index) =>
        `| ${index + 1} | ${group.calls} | ${ms(group.totalMs)} | ${ms(group.totalMs / group.calls)} | ` +
        `${ms(group.p95Ms)} | ${ms(group.maxMs)} | ${group.rows ?? '—'} | ` +
        `${inlineCode(cellSql(group.sql, 400))} |`
    ),
    '',
    `## Plans of the top ${capture.plans.length}`,
    '',
    'Each with the bindings of its slowest call. Reads: `EXPLAIN (ANALYZE, BUFFERS)` on ' +
      'PostgreSQL (in a transaction that is rolled back); writes: plain `EXPLAIN`, never run ' +
      'again. SQLite: `EXPLAIN QUERY PLAN`.',
    '',
  ]
  for (const { rank, group, plan } of capture.plans) {
    lines.push(
      `### ${rank}. ${group.calls} calls, ${ms(group.totalMs)} ms in all, p95 ${ms(group.p95Ms)} ms`,
      '',
      '```sql',
      group.slowest.sql,
      '```',
      '',
      `Bindings: ${inlineCode(shownBindings(group.slowest.bindings))}`,
      '',
      `\`${plan.command}\`:`,
      '',
      '```',
      ...(plan.error ? [`(no plan: ${plan.error})`] : plan.lines.map(maskEmails)),
      '```',
      ''
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * Markdown inline code that may itself hold backticks (SQLite quotes
 * identifiers with them): a double-backtick span.
 */
function inlineCode(text: string) {
  return `\`\` ${text} \`\``
}

const EMAIL = /[^\s'"`]+@[^\s'"`]+/

/**
 * PostgreSQL prints the bound values inside its plans (`Filter: (email = …)`).
 */
function maskEmails(line: string) {
  return line.replace(new RegExp(EMAIL.source, 'g'), '<e-mail>')
}

/**
 * The bindings as JSON, with e-mail addresses masked and long values (hashes,
 * payloads) cut: a report is shared more widely than the database.
 */
export function shownBindings(bindings: unknown[]) {
  return JSON.stringify(
    bindings.map((value) => {
      if (typeof value !== 'string') {
        return value
      }
      if (EMAIL.test(value)) {
        return '<e-mail>'
      }
      return value.length > 64 ? `<${value.length} characters>` : value
    })
  )
}
