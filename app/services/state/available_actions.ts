import type User from '#models/user'
import type { OfferStatus } from '#models/offer'
import type { ApplicationStatus } from '#models/application'
import type { DealStatus } from '#models/deal'
import type { InviteStatus } from '#models/invite'
import type { PayoutStatus } from '#models/payout_request'

/**
 * Which transitions a viewer may start on a record now: the state machines
 * of DESIGN.md §4 seen from one user, so pages offer only the buttons that
 * can succeed. The services still decide; a stale page gets CONFLICT.
 */
type Owned = { brandId: number; creatorId: number }

/**
 * What stands between a creator and a new deal on an offer beyond its
 * status: a deal with them there already, or the brand blocked by an admin.
 */
export type Dealing = { hasDeal: boolean; brandBlocked: boolean }

const dealPossible = (dealing: Dealing) => !dealing.hasDeal && !dealing.brandBlocked

export function offerActions(
  viewer: User,
  offer: { brandId: number; status: OfferStatus },
  dealing: Dealing
) {
  const owner = viewer.role === 'brand' && offer.brandId === viewer.id
  return {
    edit: owner && offer.status === 'draft',
    publish: owner && offer.status === 'draft',
    close: owner && offer.status !== 'closed',
    invite: owner && offer.status === 'published',
    apply: viewer.role === 'creator' && offer.status === 'published' && dealPossible(dealing),
  }
}

/**
 * `offerStatus`: approving opens a deal, which only a published offer takes.
 */
export function applicationActions(
  viewer: User,
  application: Owned & { status: ApplicationStatus },
  offerStatus: OfferStatus | undefined,
  dealing: Dealing
) {
  const pending = application.status === 'pending'
  const brand = viewer.role === 'brand' && application.brandId === viewer.id
  return {
    approve: brand && pending && offerStatus === 'published' && dealPossible(dealing),
    reject: brand && pending,
    withdraw: viewer.role === 'creator' && application.creatorId === viewer.id && pending,
  }
}

type ShownInvite = Owned & { status: InviteStatus; expiresAt: string | null }

/**
 * A pending invite past its `expiresAt` can no longer be answered, though
 * it stays `pending` until `invites:expire` runs; the brand may still
 * withdraw it. Accepting opens a deal, which only a published offer takes.
 */
export function inviteActions(
  viewer: User,
  invite: ShownInvite,
  offerStatus: OfferStatus | undefined,
  dealing: Dealing
) {
  const pending = invite.status === 'pending'
  const answerable = pending && !inviteLapsed(invite)
  const creator = viewer.role === 'creator' && invite.creatorId === viewer.id
  return {
    accept: creator && answerable && offerStatus === 'published' && dealPossible(dealing),
    decline: creator && answerable,
    withdraw: viewer.role === 'brand' && invite.brandId === viewer.id && pending,
  }
}

/**
 * The status a page shows: `expired` as soon as a pending invite's time is
 * up, not only once `invites:expire` has marked it.
 */
export function shownInviteStatus(invite: ShownInvite): InviteStatus {
  return invite.status === 'pending' && inviteLapsed(invite) ? 'expired' : invite.status
}

function inviteLapsed(invite: ShownInvite) {
  return invite.expiresAt !== null && Date.parse(invite.expiresAt) <= Date.now()
}

const ADMIN_CANCELLABLE: DealStatus[] = ['awaiting_funding', 'funded', 'submitted']
const BRAND_CANCELLABLE: DealStatus[] = ['awaiting_funding', 'funded']

/**
 * `workSubmitted`: once any work was handed in, only an admin may refund.
 */
export function dealActions(
  viewer: User,
  deal: Owned & { status: DealStatus },
  workSubmitted: boolean
) {
  const brand = viewer.role === 'brand' && deal.brandId === viewer.id
  const creator = viewer.role === 'creator' && deal.creatorId === viewer.id
  return {
    fund: brand && deal.status === 'awaiting_funding',
    submit: creator && deal.status === 'funded',
    approve: brand && deal.status === 'submitted',
    requestChanges: brand && deal.status === 'submitted',
    cancel:
      (brand && !workSubmitted && BRAND_CANCELLABLE.includes(deal.status)) ||
      (viewer.role === 'admin' && ADMIN_CANCELLABLE.includes(deal.status)),
  }
}

export function payoutActions(viewer: User, payout: { status: PayoutStatus }) {
  const admin = viewer.role === 'admin'
  return {
    approve: admin && payout.status === 'requested',
    reject: admin && (payout.status === 'requested' || payout.status === 'approved'),
    markPaid: admin && payout.status === 'approved',
  }
}
