import type { DbQueryEventNode } from '@adonisjs/lucid/types/database'
import { requestLogger } from '#services/request_logger'

/**
 * A query's line when DB_QUERY_LOG=1: the SQL with placeholders, never its
 * values, on the logger of the request it ran for, so that it carries that
 * request's id (outside a request, the application's logger).
 */
export function logQuery(query: DbQueryEventNode) {
  requestLogger().info(
    {
      sql: query.sql,
      durationMs: query.duration ? query.duration[0] * 1e3 + query.duration[1] / 1e6 : null,
      connection: query.connection,
    },
    'query'
  )
}
