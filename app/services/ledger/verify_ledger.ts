import db from '@adonisjs/lucid/services/db'
import { accounts, nameInSql } from '#services/ledger/accounts'
import {
  payoutAmountViolations,
  payoutHoldViolations,
  payoutStatusViolations,
} from '#services/ledger/verify_payouts'

export type LedgerViolation = { check: string; detail: string }

/**
 * The ledger's invariants (docs/API.md, Payments). Every violation found is
 * listed; an empty list means the books balance. Each check is one
 * statement, so on a live database it sees one snapshot: a deal or payout
 * is never caught between its status update and its ledger rows.
 */
export async function verifyLedger(): Promise<LedgerViolation[]> {
  const violations: LedgerViolation[] = []

  const unbalanced = await db
    .from('ledger_entries')
    .join('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.transaction_id')
    .groupBy('ledger_transactions.reference')
    .select('ledger_transactions.reference')
    .sum('ledger_entries.amount as total')
    .havingRaw('sum(ledger_entries.amount) <> 0')
  for (const row of unbalanced) {
    violations.push({ check: 'transaction sums to zero', detail: `${row.reference}: ${row.total}` })
  }

  const empty = await db
    .from('ledger_transactions')
    .whereNotExists((q) =>
      q.from('ledger_entries').whereRaw('ledger_entries.transaction_id = ledger_transactions.id')
    )
    .select('reference')
  for (const row of empty) {
    violations.push({ check: 'transaction has entries', detail: row.reference })
  }

  const currencies = await db
    .from('ledger_entries')
    .groupBy('currency')
    .select('currency')
    .sum('amount as total')
  for (const row of currencies) {
    if (Number(row.total) !== 0) {
      violations.push({
        check: 'total per currency is zero',
        detail: `${row.currency}: ${row.total}`,
      })
    }
  }

  const negative = await db
    .from('ledger_entries')
    .where((q) =>
      q.whereLike('account', 'creator:%:available').orWhereLike('account', 'creator:%:payout_hold')
    )
    .groupBy('account')
    .select('account')
    .sum('amount as total')
    .havingRaw('sum(amount) < 0')
  for (const row of negative) {
    violations.push({
      check: 'creator balance not negative',
      detail: `${row.account}: ${row.total}`,
    })
  }

  const fundedDeals = await db
    .from('deals')
    .whereIn('status', ['funded', 'submitted', 'completed', 'refunded'])
    .select('deals.id', 'deals.status', 'deals.amount')
    .select(
      ...(['fund', 'release', 'refund'] as const).map((kind) =>
        db.raw(
          `(select count(*) from ledger_transactions t where t.deal_id = deals.id and t.kind = '${kind}') as ${kind}s`
        )
      ),
      db.raw(
        `(select coalesce(sum(e.amount), 0) from ledger_entries e where e.account = ${nameInSql(accounts.escrow, 'deals.id')}) as escrow`
      ),
      db.raw(
        `(select coalesce(sum(e.amount), 0) from ledger_entries e join ledger_transactions t on t.id = e.transaction_id where t.deal_id = deals.id and t.kind = 'fund' and e.account = ${nameInSql(accounts.escrow, 'deals.id')}) as funded`
      )
    )
  for (const deal of fundedDeals) {
    const ended = deal.status === 'completed' || deal.status === 'refunded'
    const expected = [
      ['funded deal has one fund', Number(deal.funds), 1],
      ['fund puts the deal amount into escrow', Number(deal.funded), Number(deal.amount)],
      [
        'completed deal has one release',
        Number(deal.releases),
        deal.status === 'completed' ? 1 : 0,
      ],
      ['refunded deal has one refund', Number(deal.refunds), deal.status === 'refunded' ? 1 : 0],
      [
        'escrow holds the amount until the deal ends',
        Number(deal.escrow),
        ended ? 0 : Number(deal.amount),
      ],
    ] as const
    for (const [check, found, wanted] of expected) {
      if (found !== wanted) {
        violations.push({
          check,
          detail: `deal ${deal.id} (${deal.status}): ${found}, expected ${wanted}`,
        })
      }
    }
  }

  const unfundedWithMoney = await db
    .from('deals')
    .whereIn('status', ['awaiting_funding', 'cancelled'])
    .whereExists((q) =>
      q.from('ledger_transactions').whereRaw('ledger_transactions.deal_id = deals.id')
    )
    .select('id')
  for (const deal of unfundedWithMoney) {
    violations.push({ check: 'unfunded deal has no ledger rows', detail: `deal ${deal.id}` })
  }

  violations.push(
    ...(await releaseViolations()),
    ...(await payoutStatusViolations()),
    ...(await payoutAmountViolations()),
    ...(await payoutHoldViolations())
  )
  return violations
}

/**
 * Releases that do not pay out the deal: its whole amount must leave its
 * escrow, split between its own creator and the platform. The split itself
 * is not recomputed, as the fee rate may have changed since the release.
 */
async function releaseViolations(): Promise<LedgerViolation[]> {
  const escrow = nameInSql(accounts.escrow, 'd.id')
  const creator = nameInSql(accounts.creatorAvailable, 'd.creator_id')
  const fees = `'${accounts.platformFees}'`
  const taken = `sum(case when e.account = ${escrow} then -e.amount else 0 end)`
  const share = `sum(case when e.account = ${creator} then e.amount else 0 end)`
  const fee = `sum(case when e.account = ${fees} then e.amount else 0 end)`
  const elsewhere = `sum(case when e.account in (${escrow}, ${creator}, ${fees}) then 0 else abs(e.amount) end)`
  const wrong = await db
    .from('ledger_transactions as t')
    .join('deals as d', 'd.id', 't.deal_id')
    .join('ledger_entries as e', 'e.transaction_id', 't.id')
    .where('t.kind', 'release')
    .groupBy('t.id', 't.reference', 'd.id', 'd.amount', 'd.creator_id')
    .select('t.reference', 'd.id', 'd.amount', 'd.creator_id')
    .select(
      db.raw(`${taken} as taken`),
      db.raw(`${share} as share`),
      db.raw(`${fee} as fee`),
      db.raw(`${elsewhere} as elsewhere`)
    )
    .havingRaw(
      `${taken} <> d.amount or ${share} + ${fee} <> d.amount or ${share} < 0 or ${fee} < 0 or ${elsewhere} <> 0`
    )

  return wrong.map((release) => ({
    check: 'release pays the deal amount to its creator and the fee',
    detail:
      `${release.reference} (deal ${release.id}, amount ${release.amount}): ` +
      `${release.taken} out of escrow, ${release.share} to ${accounts.creatorAvailable(release.creator_id)}, ` +
      `${release.fee} to ${accounts.platformFees}, ${release.elsewhere} elsewhere`,
  }))
}
