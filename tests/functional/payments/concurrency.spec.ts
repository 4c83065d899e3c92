import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { ERROR_CATALOGUE } from '#exceptions/error_catalogue'
import { verifyLedger } from '#services/ledger/verify_ledger'
import { MONEY_OPERATIONS } from '#tests/support/money_operations'

const PARALLEL = 50

/**
 * DESIGN.md §5: concurrent identical requests move money once. On SQLite
 * writes are serialised by the engine; on PostgreSQL this exercises the
 * conditional update, the row locks and the unique reference.
 */
test.group('payments: 50 concurrent identical requests', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  for (const withKey of [false, true]) {
    test(`{name}, ${withKey ? 'with' : 'without'} Idempotency-Key`)
      .with(MONEY_OPERATIONS)
      .run(async ({ client, assert }, operation) => {
        const { send, expect } = await operation.prepare()
        const before = await db.from('ledger_transactions').count('* as total').first()

        const responses = await Promise.all(
          Array.from({ length: PARALLEL }, () =>
            send(client, withKey ? 'same-key-for-all' : undefined)
          )
        )

        for (const response of responses) {
          if (response.status() === 200) {
            const data = response.body().data
            assert.equal((data.deal ?? data.payout).status, expect)
            continue
          }
          const code = response.body().error?.code
          assert.property(ERROR_CATALOGUE, code, `status ${response.status()} is a contract error`)
          assert.notEqual(response.status(), 500)
        }
        const successes = responses.filter((response) => response.status() === 200)
        assert.isAtLeast(successes.length, 1)

        const after = await db.from('ledger_transactions').count('* as total').first()
        assert.equal(Number(after.total), Number(before.total) + 1)
        assert.deepEqual(await verifyLedger(), [])
      })
  }
})
