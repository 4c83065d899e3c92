import env from '#start/env'

const feeBps = env.get('PLATFORM_FEE_BPS', 1000)
if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) {
  throw new Error('PLATFORM_FEE_BPS must be an integer from 0 to 10000')
}
const payoutMinAmount = env.get('PAYOUT_MIN_AMOUNT', 10_000)
if (!Number.isInteger(payoutMinAmount) || payoutMinAmount < 1) {
  throw new Error('PAYOUT_MIN_AMOUNT must be a positive integer (kopecks)')
}

/**
 * Money settings. Amounts are integer kopecks.
 */
const paymentsConfig = {
  /** Platform fee on a released deal, in basis points (1000 = 10 %). */
  feeBps,
  /** Smallest payout a creator may request. */
  payoutMinAmount,
  provider: env.get('PAYMENT_PROVIDER', 'sandbox'),
  /** HMAC-SHA256 key for POST /api/payments/webhook; without it the webhook refuses everything. */
  webhookSecret: env.get('PAYMENTS_WEBHOOK_SECRET')?.release() ?? null,
}

export default paymentsConfig
