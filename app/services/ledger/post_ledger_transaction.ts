import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#services/database/timestamps'

export type LedgerKind =
  'fund' | 'release' | 'refund' | 'payout_approve' | 'payout_reject' | 'payout_paid'

export type PostingInput = {
  reference: string
  kind: LedgerKind
  dealId?: number
  payoutId?: number
  requestId: string | null
  currency: string
  entries: Array<{ account: string; amount: number }>
}

/**
 * Appends one balanced transaction. Entries must be non-zero integers that
 * sum to zero; a programming error here must never reach the database.
 */
export async function postLedgerTransaction(trx: TransactionClientContract, input: PostingInput) {
  const entries = input.entries.filter((entry) => entry.amount !== 0)
  if (entries.some((entry) => !Number.isSafeInteger(entry.amount))) {
    throw new Error(`ledger ${input.reference}: amounts must be safe integers`)
  }
  if (entries.reduce((sum, entry) => sum + entry.amount, 0) !== 0) {
    throw new Error(`ledger ${input.reference}: entries do not sum to zero`)
  }
  const now = dbNow(trx)
  const [row] = await trx
    .table('ledger_transactions')
    .insert({
      reference: input.reference,
      kind: input.kind,
      deal_id: input.dealId ?? null,
      payout_id: input.payoutId ?? null,
      request_id: input.requestId?.slice(0, 128) ?? null,
      created_at: now,
    })
    .returning('id')
  const transactionId = Number(typeof row === 'object' ? row.id : row)
  await trx.table('ledger_entries').multiInsert(
    entries.map((entry) => ({
      transaction_id: transactionId,
      account: entry.account,
      amount: entry.amount,
      currency: input.currency,
      created_at: now,
    }))
  )
  return transactionId
}

export async function ledgerTransactionExists(trx: TransactionClientContract, reference: string) {
  const row = await trx
    .from('ledger_transactions')
    .where('reference', reference)
    .select('id')
    .first()
  return Boolean(row)
}

/**
 * The balance of one account, from its entries (the ledger is the only
 * source of truth for money).
 */
export async function accountBalance(trx: TransactionClientContract, account: string) {
  const row = await trx
    .from('ledger_entries')
    .where('account', account)
    .sum('amount as total')
    .first()
  return Number(row?.total ?? 0)
}
