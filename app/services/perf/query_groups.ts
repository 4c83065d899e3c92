import { normalizeSql } from '#services/perf/normalize_sql'
import type { RecordedQuery } from '#services/perf/query_recorder'

export type QueryGroup = {
  sql: string
  calls: number
  totalMs: number
  p95Ms: number
  maxMs: number
  /** Sum of the rows the calls read or changed; null when no call reported any. */
  rows: number | null
  failed: number
  /** The slowest call: its statement and bindings are the ones EXPLAIN runs. */
  slowest: RecordedQuery
}

/**
 * Queries grouped by their normalized SQL, the group with the most time
 * spent first (ties: more calls first).
 */
export function groupQueries(queries: RecordedQuery[]): QueryGroup[] {
  const byShape = new Map<string, RecordedQuery[]>()
  for (const query of queries) {
    const shape = normalizeSql(query.sql)
    const members = byShape.get(shape)
    if (members) {
      members.push(query)
    } else {
      byShape.set(shape, [query])
    }
  }
  return [...byShape.entries()]
    .map(([sql, members]) => summarize(sql, members))
    .sort((a, b) => b.totalMs - a.totalMs || b.calls - a.calls)
}

function summarize(sql: string, members: RecordedQuery[]): QueryGroup {
  const durations = members.map((query) => query.durationMs)
  const reported = members.filter((query) => query.rows !== null)
  return {
    sql,
    calls: members.length,
    totalMs: durations.reduce((sum, ms) => sum + ms, 0),
    p95Ms: percentile(durations, 95),
    maxMs: Math.max(...durations),
    rows: reported.length > 0 ? reported.reduce((sum, query) => sum + query.rows!, 0) : null,
    failed: members.filter((query) => query.failed).length,
    slowest: members.reduce((slowest, query) =>
      query.durationMs > slowest.durationMs ? query : slowest
    ),
  }
}

/**
 * Nearest-rank percentile: a value that was actually measured.
 */
export function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]
}
