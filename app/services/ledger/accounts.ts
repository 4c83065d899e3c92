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

const ID_MARK = '\u0000id\u0000'

/**
 * The name a builder above makes, as an SQL expression over the id in
 * `column`: `nameInSql(accounts.creatorHold, 'p.creator_id')` is
 * `'creator:' || p.creator_id || ':payout_hold'`. Queries that match names
 * row by row (ledger:verify) spell them through the same builders as the
 * code that books them.
 */
export function nameInSql(build: (id: number) => string, column: string) {
  const [before, after] = build(ID_MARK as unknown as number).split(ID_MARK)
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`
  return [before ? literal(before) : '', column, after ? literal(after) : '']
    .filter(Boolean)
    .join(' || ')
}
