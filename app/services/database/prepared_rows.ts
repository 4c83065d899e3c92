import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { StrictValues } from '@adonisjs/lucid/types/querybuilder'

type Row = Record<string, unknown>

/**
 * A read whose plan PostgreSQL would otherwise work out on every request:
 * a model query read as plain rows, or a query of the database's own.
 */
type PreparableQuery =
  (LucidQuery & { pojo<Result>(): Promise<Result[]> }) | (LucidQuery & PromiseLike<unknown[]>)
type LucidQuery = { client: QueryClientContract; toSQL(): Knex.Sql }

/**
 * Runs a read as a named prepared statement on PostgreSQL: each pooled
 * connection parses it once and then reuses it, and PostgreSQL may keep
 * its plan. A list page's statement took longer to parse and plan than to
 * run (docs/PERF.md). The name is the hash of the SQL text, so the same
 * statement is the same name on every connection and a different one can
 * never take its name. A kept plan is made for any binding: a filter whose
 * value never changes belongs in the SQL as a literal, where the plan can
 * see it (`listOffers`). The list statements name their columns, so a column
 * added to a table later does not change what a prepared one returns.
 * SQLite prepares each statement anyway: the query runs as it is.
 */
export async function preparedRows<Result extends Row = Row>(
  query: PreparableQuery
): Promise<Result[]> {
  if (query.client.dialect.name !== 'postgres') {
    return ('pojo' in query ? query.pojo<Result>() : query) as Promise<Result[]>
  }
  const { sql, bindings } = query.toSQL()
  const statement = query.client.rawQuery(sql, bindings as StrictValues[])
  statement.knexQuery.options({ name: statementName(sql) })
  const result: { rows: Result[] } = await statement
  return result.rows
}

function statementName(sql: string) {
  return `collab_${createHash('sha1').update(sql).digest('base64url')}`
}
