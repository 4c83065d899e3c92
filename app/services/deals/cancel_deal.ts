import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Deal from '#models/deal'
import { findLockedIn } from '#services/database/row_lock'
import Offer from '#models/offer'
import type { ActionContext, ChangeOrigin } from '#services/action_context'
import { DomainError } from '#exceptions/domain_error'
import { transitionStatus } from '#services/state/transition_status'
import { recordEvent } from '#services/outbox/record_event'
import { dealPayload } from '#services/deals/open_deal'
import { postLedgerTransaction } from '#services/ledger/post_ledger_transaction'
import { accounts, references } from '#services/ledger/accounts'
import { applyOnce } from '#services/payments/apply_once'
import { errorReason } from '#exceptions/error_reasons'
import { UNPAID_END_STATUSES } from '#services/deals/one_deal_per_creator'

const ENDED = new Set<string>(UNPAID_END_STATUSES)

/**
 * Ends a deal before release. Unfunded, it is simply cancelled. Funded, it
 * is refunded (escrow back to the brand's funding account): the brand may do
 * that only before any work was submitted, an admin at any time before
 * release. Cancelling an ended deal replays its current state.
 */
export async function cancelDeal(action: ActionContext, dealId: number) {
  return db.transaction(async (trx) => {
    // Locked: the brand's refund depends on what it reads (nothing submitted
    // yet), so a submit may not commit between that read and the refund.
    const deal = await findLockedIn(Deal, trx, dealId, 'update')
    if (ENDED.has(deal.status)) {
      return { deal, outcome: 'replayed' as const }
    }
    const offer = await Offer.findOrFail(deal.offerId, { client: trx })
    const outcome =
      deal.status === 'awaiting_funding'
        ? await cancelUnfunded(trx, action, deal, offer)
        : await refund(trx, action, deal, offer)
    return { deal: await Deal.findOrFail(deal.id, { client: trx }), outcome }
  })
}

async function cancelUnfunded(
  trx: TransactionClientContract,
  action: ActionContext,
  deal: Deal,
  offer: Offer
) {
  try {
    await transitionStatus(trx, {
      table: 'deals',
      id: deal.id,
      from: ['awaiting_funding'],
      to: 'cancelled',
    })
  } catch (error) {
    const current = await Deal.findOrFail(deal.id, { client: trx })
    if (error instanceof DomainError && ENDED.has(current.status)) {
      return 'replayed' as const
    }
    throw error
  }
  await recordEvent(trx, action, {
    type: 'deal.cancelled',
    aggregateType: 'deal',
    aggregateId: deal.id,
    payload: dealPayload(deal, offer.title),
  })
  return 'applied' as const
}

async function refund(
  trx: TransactionClientContract,
  action: ActionContext,
  deal: Deal,
  offer: Offer
) {
  const byAdmin = action.actor.role === 'admin'
  if (deal.status === 'completed') {
    // Released to the creator: no one can take it back through a refund.
    throw DomainError.conflict(deal.status, undefined, 'deal')
  }
  if (!byAdmin) {
    const submitted = await trx
      .from('deal_submissions')
      .where('deal_id', deal.id)
      .select('id')
      .first()
    if (submitted || deal.status !== 'funded') {
      throw DomainError.conflict(deal.status, errorReason('work_submitted_refund_by_admin'))
    }
  }
  return applyOnce(
    trx,
    references.refund(deal.id),
    () =>
      transitionStatus(trx, {
        table: 'deals',
        id: deal.id,
        from: byAdmin ? ['funded', 'submitted'] : ['funded'],
        to: 'refunded',
      }),
    async () => {
      await postRefund(trx, action, deal)
      await recordEvent(trx, action, {
        type: 'deal.refunded',
        aggregateType: 'deal',
        aggregateId: deal.id,
        payload: dealPayload(deal, offer.title),
      })
    }
  )
}

/** The deal's escrow back to the brand: escrow:deal:<id> → external:brand_funding. */
export function postRefund(trx: TransactionClientContract, origin: ChangeOrigin, deal: Deal) {
  return postLedgerTransaction(trx, {
    reference: references.refund(deal.id),
    kind: 'refund',
    dealId: deal.id,
    requestId: origin.requestId,
    currency: deal.currency,
    entries: [
      { account: accounts.escrow(deal.id), amount: -deal.amount },
      { account: accounts.brandFunding, amount: deal.amount },
    ],
  })
}
