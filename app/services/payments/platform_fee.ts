/**
 * Splits a released amount between the platform and the creator.
 * Rounding rule: the fee is rounded DOWN to a whole kopeck, so any fraction
 * of a kopeck goes to the creator; fee + creator share always equals the
 * amount exactly.
 */
export function splitRelease(amount: number, feeBps: number) {
  const fee = Number((BigInt(amount) * BigInt(feeBps)) / 10_000n)
  return { fee, creatorShare: amount - fee }
}
