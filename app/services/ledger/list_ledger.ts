import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { pageOf } from '#http/api_response'
import { ESCROW_PREFIX } from '#services/ledger/accounts'
import {
  countUpTo,
  nextAfterOf,
  pagePlace,
  TOTAL_LOOKAHEAD,
  type PageRequest,
} from '#services/pagination'

/**
 * A user's own ledger lines, newest first: a creator's available and hold
 * accounts; a brand's escrow accounts; everything for an admin. With
 * `after`, the page and `total` start after that line. Like every list,
 * `total` counts only up to TOTAL_LOOKAHEAD past the page (docs/API.md): an
 * admin's count of the whole ledger grew with it.
 */
export async function listLedger(user: User, request: PageRequest) {
  const { page, perPage, offset } = pagePlace(request)
  const query = db
    .from('ledger_entries')
    .join('ledger_transactions', 'ledger_transactions.id', 'ledger_entries.transaction_id')
  if (user.role === 'creator') {
    query.whereLike('ledger_entries.account', `creator:${user.id}:%`)
  }
  if (user.role === 'brand') {
    query
      .whereLike('ledger_entries.account', `${ESCROW_PREFIX}%`)
      .whereIn(
        'ledger_transactions.deal_id',
        db.from('deals').select('id').where('brand_id', user.id)
      )
  }
  if (request.after !== undefined) {
    query.where('ledger_entries.id', '<', request.after)
  }
  const reach = offset + perPage + TOTAL_LOOKAHEAD
  const counted = await countUpTo(query, reach + 1)
  const rows = await query
    .select(
      'ledger_entries.id',
      'ledger_entries.account',
      'ledger_entries.amount',
      'ledger_entries.currency',
      'ledger_entries.created_at',
      'ledger_transactions.reference',
      'ledger_transactions.kind',
      'ledger_transactions.deal_id',
      'ledger_transactions.payout_id'
    )
    .orderBy('ledger_entries.id', 'desc')
    .offset(offset)
    .limit(perPage)
  const items = rows.map((row) => ({
    id: Number(row.id),
    reference: row.reference,
    kind: row.kind,
    account: row.account,
    amount: Number(row.amount),
    currency: row.currency,
    dealId: row.deal_id,
    payoutId: row.payout_id,
    createdAt: new Date(row.created_at).toISOString(),
  }))
  const nextAfter = nextAfterOf(items.at(-1)?.id, offset + items.length, counted)
  return pageOf(items, page, perPage, Math.min(counted, reach), counted <= reach, nextAfter)
}
