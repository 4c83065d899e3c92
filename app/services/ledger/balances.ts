import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { accounts, ESCROW_PREFIX } from '#services/ledger/accounts'

/**
 * Balances derived from ledger entries, never stored. A creator sees what
 * they have, what they asked to withdraw and an admin has not yet decided
 * (`requested`, still part of `available`), what is on hold for approved
 * payouts and what was paid out; a brand what sits in escrow, what was
 * released and what came back. Each is one statement, so its figures are
 * one snapshot: a payout approved meanwhile is either in `available` or in
 * `onHold`, never in both or neither. Outflows are shown as positive
 * figures.
 */
export async function balanceOf(user: User) {
  if (user.role === 'creator') {
    const available = accounts.creatorAvailable(user.id)
    const hold = accounts.creatorHold(user.id)
    const row = await db
      .from('ledger_entries as e')
      .join('ledger_transactions as t', 't.id', 'e.transaction_id')
      .whereIn('e.account', [available, hold])
      .select(
        sumWhen('e.account = ?', [available], 'available'),
        sumWhen('e.account = ?', [hold], 'on_hold'),
        sumWhen("e.account = ? and t.kind = 'payout_paid'", [hold], 'paid'),
        db.raw(
          "(select coalesce(sum(amount), 0) from payout_requests where creator_id = ? and status = 'requested') as requested",
          [user.id]
        )
      )
      .firstOrFail()
    return {
      currency: 'RUB',
      available: Number(row.available),
      onHold: Number(row.on_hold),
      paidOut: 0 - Number(row.paid),
      requested: Number(row.requested),
    }
  }

  const row = await db
    .from('ledger_entries as e')
    .join('ledger_transactions as t', 't.id', 'e.transaction_id')
    .whereIn('t.deal_id', db.from('deals').select('id').where('brand_id', user.id))
    .whereLike('e.account', `${ESCROW_PREFIX}%`)
    .select(
      db.raw('coalesce(sum(e.amount), 0) as in_escrow'),
      sumWhen("t.kind = 'release'", [], 'released'),
      sumWhen("t.kind = 'refund'", [], 'refunded')
    )
    .firstOrFail()
  return {
    currency: 'RUB',
    inEscrow: Number(row.in_escrow),
    released: 0 - Number(row.released),
    refunded: 0 - Number(row.refunded),
  }
}

function sumWhen(condition: string, bindings: string[], name: string) {
  return db.raw(
    `coalesce(sum(case when ${condition} then e.amount else 0 end), 0) as ${name}`,
    bindings
  )
}
