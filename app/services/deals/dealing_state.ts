import type User from '#models/user'
import type { Dealing } from '#services/state/available_actions'
import { pairKey, pairsWithDeal } from '#services/deals/one_deal_per_creator'
import { blockedAmong } from '#services/users/blocked_users'

type OfferCreatorBrand = { offerId: number; creatorId: number; brandId: number }

/** Who starts a deal from a page's buttons: a creator (apply, accept) or a brand (approve). */
type DealStarter = 'creator' | 'brand'

/**
 * For the records a page shows, whether a new deal could still come of
 * each (`Dealing`), in two queries for the whole page. Only the records on
 * which this viewer could start a deal are looked up: their own, where the
 * page's button is theirs to press (`startedBy`). Any other record shows
 * this viewer no such button whatever the answer, so an admin's page, or a
 * brand's invites, costs no query.
 */
export async function dealingFor(
  viewer: User,
  startedBy: DealStarter[],
  records: OfferCreatorBrand[]
) {
  const own = records.filter(
    (record) =>
      (viewer.role === 'creator' &&
        startedBy.includes('creator') &&
        record.creatorId === viewer.id) ||
      (viewer.role === 'brand' && startedBy.includes('brand') && record.brandId === viewer.id)
  )
  const [dealt, blocked] = await Promise.all([
    pairsWithDeal(own),
    blockedAmong(own.map((record) => record.brandId)),
  ])
  return (record: OfferCreatorBrand): Dealing => ({
    hasDeal: dealt.has(pairKey(record)),
    brandBlocked: blocked.has(record.brandId),
  })
}
