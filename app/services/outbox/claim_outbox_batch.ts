import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import OutboxEvent from '#models/outbox_event'
import workersConfig from '#config/workers'
import { toDbTimestamp } from '#services/database/timestamps'

/**
 * The one way events are claimed (DESIGN.md §6). Due events — pending and
 * past their next attempt, or held by a consumer whose lease ran out — are
 * marked `processing` for this consumer until the lease ends, in one short
 * transaction. On PostgreSQL the candidates are locked FOR UPDATE SKIP
 * LOCKED, so consumers running side by side never claim the same event;
 * SQLite runs one writer at a time, which gives the same guarantee.
 */
export async function claimOutboxBatch(consumer: string, limit: number): Promise<OutboxEvent[]> {
  const now = DateTime.now()
  return db.transaction(async (trx) => {
    const nowDb = toDbTimestamp(now, trx)
    const candidates = trx
      .from('outbox_events')
      .where((query) =>
        query
          .where((due) => due.where('status', 'pending').where('next_attempt_at', '<=', nowDb))
          .orWhere((expired) =>
            expired.where('status', 'processing').where('claimed_until', '<', nowDb)
          )
      )
      .orderBy('id', 'asc')
      .limit(limit)
      .select('id')
    if (trx.dialect.name === 'postgres') {
      candidates.forUpdate().skipLocked()
    }
    const rows = await candidates
    const ids = rows.map((row) => Number(row.id))
    if (ids.length === 0) {
      return []
    }
    await trx
      .from('outbox_events')
      .whereIn('id', ids)
      .update({
        status: 'processing',
        claimed_by: consumer,
        claimed_until: toDbTimestamp(now.plus({ milliseconds: workersConfig.outbox.leaseMs }), trx),
      })
    return OutboxEvent.query({ client: trx }).whereIn('id', ids).orderBy('id', 'asc')
  })
}
