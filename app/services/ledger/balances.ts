import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { accounts } from '#services/ledger/accounts'

async function sumEntries(filter: (query: ReturnType<typeof db.from>) => void): Promise<number> {
  const query = db.from('ledger_entries')
  filter(query)
  const row = await query.sum('ledger_entries.amount as total').first()
  return Number(row?.total ?? 0)
}

/**
 * An outflow shown as a positive figure; `0 - x` never yields -0.
 */
const negate = (value: number) => 0 - value

/**
 * Balances derived from ledger entries, never stored. A creator sees what
 * they can withdraw, what is on hold for approved payouts and what was paid
 * out; a brand what sits in escrow, what was released and what came back.
 */
export async function balanceOf(user: User) {
  if (user.role === 'creator') {
    const available = await sumEntries((q) =>
      q.where('account', accounts.creatorAvailable(user.id))
    )
    const onHold = await sumEntries((q) => q.where('account', accounts.creatorHold(user.id)))
    const paidOut = negate(
      await sumEntries((q) =>
        q
          .where('account', accounts.creatorHold(user.id))
          .join('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.transaction_id')
          .where('ledger_transactions.kind', 'payout_paid')
      )
    )
    return { currency: 'RUB', available, onHold, paidOut }
  }

  const ownDeals = db.from('deals').select('id').where('brand_id', user.id)
  const escrowOfKind = (kind?: string) =>
    sumEntries((q) => {
      q.join('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.transaction_id')
        .whereIn('ledger_transactions.deal_id', ownDeals)
        .whereLike('ledger_entries.account', 'escrow:deal:%')
      if (kind) {
        q.where('ledger_transactions.kind', kind)
      }
    })
  return {
    currency: 'RUB',
    inEscrow: await escrowOfKind(),
    released: negate(await escrowOfKind('release')),
    refunded: negate(await escrowOfKind('refund')),
  }
}
