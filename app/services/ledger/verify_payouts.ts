import db from '@adonisjs/lucid/services/db'
import { PAYOUT_STATUSES, type PayoutStatus } from '#models/payout_request'
import { accounts, nameInSql, references } from '#services/ledger/accounts'
import type { LedgerViolation } from '#services/ledger/verify_ledger'

type PayoutStep = 'approve' | 'paid' | 'reject'

/**
 * The ledger transactions a payout in each status has, as the steps of
 * `payout:<id>:<step>`. A payout rejected while requested never moved money;
 * one rejected after approval gave its hold back.
 */
const STEPS_BY_STATUS: Record<PayoutStatus, PayoutStep[][]> = {
  requested: [[]],
  approved: [['approve']],
  paid: [['approve', 'paid']],
  rejected: [[], ['approve', 'reject']],
}
const STEPS: PayoutStep[] = ['approve', 'paid', 'reject']
const STEP_REFERENCES: Record<PayoutStep, (payoutId: number) => string> = {
  approve: references.payoutApprove,
  paid: references.payoutPaid,
  reject: references.payoutReject,
}

/**
 * Payouts whose status and ledger transactions disagree. A payout's
 * transactions are those that carry its id or its references, so one booked
 * under the wrong payout or reference shows up as an extra (`other`).
 */
export async function payoutStatusViolations(): Promise<LedgerViolation[]> {
  const referenceOf = (step: PayoutStep) => nameInSql(STEP_REFERENCES[step], 'p.id')
  const found = db
    .from('payout_requests as p')
    .joinRaw(
      `left join ledger_transactions t on t.payout_id = p.id or t.reference in (${STEPS.map(referenceOf).join(', ')})`
    )
    .groupBy('p.id', 'p.status')
    .select('p.id', 'p.status')
    .count('t.id as transactions')
    .select(
      STEPS.map((step) =>
        db.raw(
          `sum(case when t.payout_id = p.id and t.kind = 'payout_${step}' and t.reference = ${referenceOf(step)} then 1 else 0 end) as ${step}`
        )
      )
    )
    .as('found')
  const expected = PAYOUT_STATUSES.flatMap((status) =>
    STEPS_BY_STATUS[status].map(
      (steps) =>
        `(status = '${status}' and transactions = ${steps.length}` +
        steps.map((step) => ` and ${step} = 1`).join('') +
        ')'
    )
  )
  const disagreeing = await db
    .from(found)
    .whereRaw(`not (${expected.join(' or ')})`)
    .select('*')

  return disagreeing.map((payout) => {
    const steps = STEPS.filter((step) => Number(payout[step]) > 0)
    const others = Number(payout.transactions) - steps.length
    const booked = [...steps, ...(others > 0 ? [`${others} other`] : [])]
    const wanted = STEPS_BY_STATUS[payout.status as PayoutStatus]
      .map((stepsOfStatus) => stepsOfStatus.join(' + ') || 'none')
      .join(' or ')
    return {
      check: 'payout status matches its ledger transactions',
      detail: `payout ${payout.id} (${payout.status}): ${booked.join(' + ') || 'none'}, expected ${wanted}`,
    }
  })
}

/**
 * Payout transactions that do not move exactly the payout's amount from
 * the account its step empties to the one it fills.
 */
export async function payoutAmountViolations(): Promise<LedgerViolation[]> {
  const available = nameInSql(accounts.creatorAvailable, 'p.creator_id')
  const hold = nameInSql(accounts.creatorHold, 'p.creator_id')
  const moves = db
    .from('ledger_transactions as t')
    .join('payout_requests as p', 'p.id', 't.payout_id')
    .whereIn('t.kind', ['payout_approve', 'payout_paid', 'payout_reject'])
    .select('t.id', 't.reference', 'p.id as payout_id', 'p.amount')
    .select(
      db.raw(`case t.kind when 'payout_approve' then ${available} else ${hold} end as source`),
      db.raw(
        `case t.kind when 'payout_approve' then ${hold} when 'payout_paid' then '${accounts.payouts}' else ${available} end as destination`
      )
    )
    .as('moves')
  const shown = [
    'moves.reference',
    'moves.payout_id',
    'moves.amount',
    'moves.source',
    'moves.destination',
  ]
  const taken = 'sum(case when e.account = moves.source then -e.amount else 0 end)'
  const given = 'sum(case when e.account = moves.destination then e.amount else 0 end)'
  const elsewhere =
    'sum(case when e.account in (moves.source, moves.destination) then 0 else abs(e.amount) end)'
  const wrong = await db
    .from(moves)
    .join('ledger_entries as e', 'e.transaction_id', 'moves.id')
    .groupBy('moves.id', ...shown)
    .select(...shown)
    .select(
      db.raw(`${taken} as taken`),
      db.raw(`${given} as given`),
      db.raw(`${elsewhere} as elsewhere`)
    )
    .havingRaw(`${taken} <> moves.amount or ${given} <> moves.amount or ${elsewhere} <> 0`)

  return wrong.map((move) => ({
    check: 'payout transaction moves the payout amount',
    detail:
      `${move.reference} (payout ${move.payout_id}, amount ${move.amount}): ` +
      `${move.taken} out of ${move.source}, ${move.given} into ${move.destination}, ` +
      `${move.elsewhere} elsewhere`,
  }))
}

/**
 * Creators whose payout hold is not the sum of their approved payouts: the
 * hold is money promised to a payout an admin still has to pay, no more.
 */
export async function payoutHoldViolations(): Promise<LedgerViolation[]> {
  const holdsAndApproved = db
    .from('ledger_entries')
    .whereLike('account', 'creator:%:payout_hold')
    .select('account', 'amount as held', db.raw('0 as approved'))
    .unionAll((q) =>
      q
        .from('payout_requests')
        .where('status', 'approved')
        .select(
          db.raw(`${nameInSql(accounts.creatorHold, 'creator_id')} as account`),
          db.raw('0 as held'),
          'amount as approved'
        )
    )
    .as('holds')
  const mismatched = await db
    .from(holdsAndApproved)
    .groupBy('account')
    .select('account')
    .sum('held as held')
    .sum('approved as approved')
    .havingRaw('sum(held) <> sum(approved)')

  return mismatched.map((hold) => ({
    check: 'payout hold equals approved payouts',
    detail: `${hold.account}: ${hold.held}, approved payouts ${hold.approved}`,
  }))
}
