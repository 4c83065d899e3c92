import type { Dealing } from '#services/state/available_actions'
import { pairKey, pairsWithDeal } from '#services/deals/one_deal_per_creator'
import { blockedAmong } from '#services/users/blocked_users'

type OfferCreatorBrand = { offerId: number; creatorId: number; brandId: number }

/**
 * For the records a page shows, whether a new deal could still come of
 * each (`Dealing`), in two queries for the whole page.
 */
export async function dealingFor(records: OfferCreatorBrand[]) {
  const [dealt, blocked] = await Promise.all([
    pairsWithDeal(records),
    blockedAmong(records.map((record) => record.brandId)),
  ])
  return (record: OfferCreatorBrand): Dealing => ({
    hasDeal: dealt.has(pairKey(record)),
    brandBlocked: blocked.has(record.brandId),
  })
}
