import { test } from '@japa/runner'
import { splitRelease } from '#services/payments/platform_fee'

test.group('platform fee rounding', () => {
  test('{amount} kopecks at {bps} bps → fee {fee}')
    .with([
      { amount: 500_000, bps: 1000, fee: 50_000 },
      { amount: 999, bps: 1000, fee: 99 },
      { amount: 1, bps: 1000, fee: 0 },
      { amount: 19, bps: 1000, fee: 1 },
      { amount: 12_345, bps: 250, fee: 308 },
      { amount: 100_000_000_000, bps: 9999, fee: 99_990_000_000 },
      { amount: 7, bps: 0, fee: 0 },
      { amount: 7, bps: 10_000, fee: 7 },
    ])
    .run(({ assert }, { amount, bps, fee }) => {
      const split = splitRelease(amount, bps)
      assert.equal(split.fee, fee)
      assert.equal(split.fee + split.creatorShare, amount)
      assert.isAtLeast(split.creatorShare, 0)
    })
})
