import db from '@adonisjs/lucid/services/db'
import { dbNow } from '#services/database/timestamps'
import type { LedgerKind } from '#services/ledger/post_ledger_transaction'

export async function ledgerCounts() {
  const transactions = await db.from('ledger_transactions').count('* as total').first()
  const entries = await db.from('ledger_entries').count('* as total').first()
  return { transactions: Number(transactions.total), entries: Number(entries.total) }
}

export async function balanceOfAccount(account: string) {
  const row = await db
    .from('ledger_entries')
    .where('account', account)
    .sum('amount as total')
    .first()
  return Number(row?.total ?? 0)
}

/**
 * Appends a transaction the way a buggy or tampered writer could, bypassing
 * the services' checks; PostgreSQL lets the books only grow, so corrupting
 * them in a test means adding rows.
 */
export async function forgeTransaction(input: {
  reference: string
  kind: LedgerKind
  dealId?: number
  payoutId?: number
  entries: Array<[account: string, amount: number]>
}) {
  const now = dbNow()
  const [row] = await db
    .table('ledger_transactions')
    .insert({
      reference: input.reference,
      kind: input.kind,
      deal_id: input.dealId ?? null,
      payout_id: input.payoutId ?? null,
      created_at: now,
    })
    .returning('id')
  const transactionId = Number(typeof row === 'object' ? row.id : row)
  await db.table('ledger_entries').multiInsert(
    input.entries.map(([account, amount]) => ({
      transaction_id: transactionId,
      account,
      amount,
      currency: 'RUB',
      created_at: now,
    }))
  )
}
