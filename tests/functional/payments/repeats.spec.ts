import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { ledgerCounts } from '#tests/support/ledger'
import { creatorWithBalance, payoutIn, tokenOf } from '#tests/support/marketplace'

async function creatorWithBalanceUser() {
  const { user } = await creatorWithBalance()
  return user
}
import { verifyLedger } from '#services/ledger/verify_ledger'
import { MONEY_OPERATIONS } from '#tests/support/money_operations'

function statusOf(response: ApiResponse) {
  const data = response.body().data
  return (data.deal ?? data.payout).status
}

test.group('payments: repeating an operation', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('{name} repeated 5× in a row adds no ledger rows after the first')
    .with(MONEY_OPERATIONS)
    .run(async ({ client, assert }, operation) => {
      const { send, expect } = await operation.prepare()
      const before = await ledgerCounts()

      const first = await send(client)
      first.assertStatus(200)
      assert.equal(statusOf(first), expect)
      assert.isFalse(first.body().data.replayed)
      const afterFirst = await ledgerCounts()
      assert.equal(afterFirst.transactions, before.transactions + 1)

      for (let i = 0; i < 5; i++) {
        const again = await send(client)
        again.assertStatus(200)
        assert.isTrue(again.body().data.replayed)
        assert.equal(statusOf(again), expect)
      }
      assert.deepEqual(await ledgerCounts(), afterFirst)
      assert.deepEqual(await verifyLedger(), [])
    })

  test('rejecting a requested payout, repeated, moves no money', async ({ client, assert }) => {
    const payout = await payoutIn('requested', await creatorWithBalanceUser())
    const admin = await tokenOf('admin')
    const before = await ledgerCounts()
    for (let i = 0; i < 5; i++) {
      const response = await client
        .post(`/api/admin/payouts/${payout.id}/reject`)
        .bearerToken(admin)
      response.assertStatus(200)
      assert.equal(response.body().data.payout.status, 'rejected')
      assert.equal(response.body().data.replayed, i > 0)
    }
    assert.deepEqual(await ledgerCounts(), before)
    const events = await db
      .from('outbox_events')
      .where('type', 'payout.rejected')
      .count('* as total')
      .first()
    assert.equal(Number(events.total), 1)
  })
})
