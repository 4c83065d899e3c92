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
 *
 * PostgreSQL keeps a plan made for any binding only while it looks no
 * dearer than the plans made for the bindings, and a plan for `limit $1
 * offset $2` guesses a tenth of the table where one made for the values
 * sees a page. A list of a scope without values was therefore planned
 * again on every request (0.3–0.5 ms, docs/DECISIONS.md). `limitsUnseen`
 * passes each LIMIT and OFFSET value through a scalar subquery, the same
 * guess for every plan, so that the kept one serves every page; the values
 * stay bindings, and the statement's text the same for every page.
 */
export async function preparedRows<Result extends Row = Row>(
  query: PreparableQuery,
  options: { limitsUnseen?: boolean } = {}
): Promise<Result[]> {
  if (query.client.dialect.name !== 'postgres') {
    return ('pojo' in query ? query.pojo<Result>() : query) as Promise<Result[]>
  }
  const compiled = query.toSQL()
  const sql = options.limitsUnseen ? limitsThroughSubqueries(compiled.sql) : compiled.sql
  const statement = query.client.rawQuery(sql, compiled.bindings as StrictValues[])
  statement.knexQuery.options({ name: statementName(sql) })
  const result: { rows: Result[] } = await statement
  return result.rows
}

/**
 * The compiled statement with each `limit ?` and `offset ?` read through a
 * scalar subquery. Values are always bindings in the builder's SQL, never
 * text, so only its own LIMIT and OFFSET clauses match.
 */
function limitsThroughSubqueries(sql: string) {
  return sql.replace(/\b(limit|offset) \?/g, '$1 (select ?::bigint)')
}

function statementName(sql: string) {
  return `collab_${createHash('sha1').update(sql).digest('base64url')}`
}
