import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * A timestamp as the connection stores it, for hand-written queries: a Date
 * for PostgreSQL, Lucid's text format for SQLite (so that comparisons in
 * SQL compare like with like).
 */
export function toDbTimestamp(value: DateTime, client: QueryClientContract = db.connection()) {
  if (client.dialect.name === 'postgres') {
    return value.toJSDate()
  }
  return value.toFormat(client.dialect.dateTimeFormat)
}

export function dbNow(client?: QueryClientContract) {
  return toDbTimestamp(DateTime.now(), client)
}

/**
 * A time something must not happen before (a retry, the end of a pause),
 * rounded up to the whole second: SQLite keeps timestamps to the second,
 * and rounding down would make the retry due before its time.
 */
export function notBefore(at: DateTime) {
  return at.millisecond === 0 ? at : at.startOf('second').plus({ seconds: 1 })
}
