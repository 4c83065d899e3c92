/** Every deal's escrow account starts so; queries match all of them by it. */
export const ESCROW_PREFIX = 'escrow:deal:'

/**
 * Ledger account names (DESIGN.md §5).
 */
export const accounts = {
  brandFunding: 'external:brand_funding',
  payouts: 'external:payouts',
  platformFees: 'platform:fees',
  escrow: (dealId: number) => `${ESCROW_PREFIX}${dealId}`,
  creatorAvailable: (creatorId: number) => `creator:${creatorId}:available`,
  creatorHold: (creatorId: number) => `creator:${creatorId}:payout_hold`,
}

/**
 * Deterministic references: the same operation on the same object always
 * has the same reference, and the unique index refuses a second one.
 */
export const references = {
  fund: (dealId: number) => `deal:${dealId}:fund`,
  release: (dealId: number) => `deal:${dealId}:release`,
  refund: (dealId: number) => `deal:${dealId}:refund`,
  payoutApprove: (payoutId: number) => `payout:${payoutId}:approve`,
  payoutReject: (payoutId: number) => `payout:${payoutId}:reject`,
  payoutPaid: (payoutId: number) => `payout:${payoutId}:paid`,
}
