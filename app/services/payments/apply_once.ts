import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DomainError } from '#exceptions/domain_error'
import { ledgerTransactionExists } from '#services/ledger/post_ledger_transaction'

/**
 * The repeat rule of every money operation (docs/API.md): the conditional
 * state update goes first; when it matches nothing and the operation's
 * ledger reference already exists, the operation already happened, so the
 * caller gets the current state (a replay) and nothing is written. When the
 * reference does not exist, the state simply does not allow it: CONFLICT.
 *
 * On PostgreSQL a concurrent duplicate blocks on the row lock of the
 * winner's update, then matches nothing and finds the winner's committed
 * reference. The unique reference index is the last line of defence.
 */
export async function applyOnce(
  trx: TransactionClientContract,
  reference: string,
  move: () => Promise<void>,
  effects: () => Promise<void>
): Promise<'applied' | 'replayed'> {
  try {
    await move()
  } catch (error) {
    if (
      error instanceof DomainError &&
      error.errorCode === 'CONFLICT' &&
      (await ledgerTransactionExists(trx, reference))
    ) {
      return 'replayed'
    }
    throw error
  }
  await effects()
  return 'applied'
}

/**
 * Serialises concurrent money operations of one user on PostgreSQL (SQLite
 * runs one write transaction at a time anyway).
 */
export async function lockUser(trx: TransactionClientContract, userId: number) {
  if (trx.dialect.name === 'postgres') {
    await trx.from('users').where('id', userId).forUpdate().select('id').first()
  }
}
