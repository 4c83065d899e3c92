import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'

/** A deal that ended without the work being paid for: its offer may be dealt again. */
export const UNPAID_END_STATUSES = ['cancelled', 'refunded'] as const

/**
 * A creator holds one deal per offer at a time, unless the earlier one was
 * cancelled or refunded: an accepted invite and an approved application of
 * the same creator would otherwise let the brand pay twice for one job. The
 * partial unique index `deals_one_per_offer_creator` (migration 0048)
 * settles two deals opened at once; this check comes first to say why.
 */
export async function assertNoDealYet(
  client: QueryClientContract,
  offerId: number,
  creatorId: number
) {
  const existing = await liveDeals(client)
    .where('offer_id', offerId)
    .where('creator_id', creatorId)
    .select('id')
    .first()
  if (existing) {
    throw new DomainError('CONFLICT', { message: errorReason('creator_has_deal_on_offer') })
  }
}

type OfferAndCreator = { offerId: number; creatorId: number }

export function pairKey({ offerId, creatorId }: OfferAndCreator) {
  return `${offerId}:${creatorId}`
}

/**
 * Which of the (offer, creator) pairs a page shows already hold a deal, in
 * one query, so that it offers no approve or accept that would be refused.
 */
export async function pairsWithDeal(pairs: OfferAndCreator[]): Promise<Set<string>> {
  if (pairs.length === 0) {
    return new Set()
  }
  const rows = await liveDeals(db.connection())
    .whereIn(
      ['offer_id', 'creator_id'],
      pairs.map(({ offerId, creatorId }) => [offerId, creatorId])
    )
    .select('offer_id', 'creator_id')
  return new Set(
    rows.map((row) => pairKey({ offerId: Number(row.offer_id), creatorId: Number(row.creator_id) }))
  )
}

/** Deals that count against a second one: any not cancelled or refunded. */
function liveDeals(client: QueryClientContract) {
  return client.from('deals').whereNotIn('status', [...UNPAID_END_STATUSES])
}
