import db from '@adonisjs/lucid/services/db'
import type { RecordedQuery } from '#services/perf/query_recorder'

export type StatementKind = 'read' | 'write' | 'other'

export type Plan = {
  /** The EXPLAIN statement that was run, without the bindings. */
  command: string
  lines: string[]
  error: string | null
}

type KnexDriverClient = {
  acquireConnection(): Promise<any>
  releaseConnection(connection: any): Promise<void>
  positionBindings(sql: string): string
  prepBindings(bindings: unknown[]): unknown[]
}

/**
 * Reads may run again (EXPLAIN ANALYZE on PostgreSQL, inside a transaction
 * that is rolled back); writes are only planned, never run a second time.
 */
export function statementKind(sql: string): StatementKind {
  const text = sql.trim().toLowerCase()
  if (text.startsWith('select')) {
    return 'read'
  }
  if (text.startsWith('with')) {
    return /\b(insert|update|delete|merge)\b/.test(text) ? 'write' : 'read'
  }
  return /^(insert|update|delete)\b/.test(text) ? 'write' : 'other'
}

/**
 * The plan of one recorded query, with the bindings it ran with, on the
 * driver connection itself so that nothing rewrites the statement. A query
 * the database cannot explain gives the error instead of a plan.
 */
export async function explainQuery(query: RecordedQuery): Promise<Plan> {
  const kind = statementKind(query.sql)
  const dialect = db.connection().dialect.name
  const knex = db.connection().getWriteClient().client as unknown as KnexDriverClient
  const sql = knex.positionBindings(query.sql)
  const postgres = dialect === 'postgres'
  const bindings = postgres ? knex.prepBindings(query.bindings) : query.bindings.map(sqliteValue)
  const command = postgres
    ? `EXPLAIN${kind === 'read' ? ' (ANALYZE, BUFFERS)' : ''}`
    : 'EXPLAIN QUERY PLAN'
  if (kind === 'other') {
    return { command, lines: [], error: 'not a read or a write: not explained' }
  }
  const connection = await knex.acquireConnection()
  try {
    const lines = postgres
      ? await postgresPlan(connection, `${command} ${sql}`, bindings, kind === 'read')
      : sqlitePlan(connection, `${command} ${sql}`, bindings)
    return { command, lines, error: null }
  } catch (error) {
    return { command, lines: [], error: (error as Error).message }
  } finally {
    await knex.releaseConnection(connection)
  }
}

async function postgresPlan(
  connection: any,
  statement: string,
  bindings: unknown[],
  analyze: boolean
): Promise<string[]> {
  if (!analyze) {
    const result = await connection.query({ text: statement, values: bindings })
    return result.rows.map((row: Record<string, string>) => row['QUERY PLAN'])
  }
  // ANALYZE runs the read: a rolled-back transaction undoes any side effect
  // (a FOR UPDATE lock, a function with writes).
  await connection.query('BEGIN')
  try {
    const result = await connection.query({ text: statement, values: bindings })
    return result.rows.map((row: Record<string, string>) => row['QUERY PLAN'])
  } finally {
    await connection.query('ROLLBACK')
  }
}

/**
 * better-sqlite3 binds numbers, strings, bigints, buffers and null only; a
 * plan does not depend on the value, so any faithful text will do.
 */
function sqliteValue(value: unknown) {
  if (value instanceof Date) {
    return value.toISOString()
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0
  }
  if (value === undefined) {
    return null
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return String(value)
  }
  return value
}

type SqlitePlanRow = { id: number; parent: number; detail: string }

/**
 * EXPLAIN QUERY PLAN rows form a tree (parent ids): indented like the
 * sqlite3 shell prints it.
 */
function sqlitePlan(connection: any, statement: string, bindings: unknown[]): string[] {
  const rows: SqlitePlanRow[] = connection.prepare(statement).all(bindings)
  const depthOf = new Map<number, number>([[0, -1]])
  return rows.map((row) => {
    const depth = (depthOf.get(row.parent) ?? -1) + 1
    depthOf.set(row.id, depth)
    return `${'  '.repeat(depth)}${row.detail}`
  })
}
