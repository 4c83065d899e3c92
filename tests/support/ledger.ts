import db from '@adonisjs/lucid/services/db'

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
