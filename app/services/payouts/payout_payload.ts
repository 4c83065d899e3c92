import type PayoutRequest from '#models/payout_request'

export function payoutPayload(payout: PayoutRequest) {
  return {
    payoutId: payout.id,
    creatorId: payout.creatorId,
    amount: payout.amount,
    currency: payout.currency,
  }
}
