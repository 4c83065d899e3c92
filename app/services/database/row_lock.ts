import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/**
 * A record read in the caller's transaction with a row lock on PostgreSQL:
 * `share` to keep it from changing while something is decided on what it
 * says, `update` to change it or to make others that would wait for it.
 * SQLite runs one write transaction at a time and needs none.
 */
export function findLockedIn<Model extends LucidModel>(
  model: Model,
  trx: TransactionClientContract,
  id: number,
  mode: 'share' | 'update'
) {
  const query = model.query({ client: trx }).where('id', id)
  if (trx.dialect.name === 'postgres') {
    if (mode === 'share') {
      query.forShare()
    } else {
      query.forUpdate()
    }
  }
  return query.firstOrFail()
}
