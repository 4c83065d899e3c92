import { test } from '@japa/runner'
import limiter from '@adonisjs/limiter/services/main'
import { truncateAll } from '#tests/support/database'

/**
 * LIMITER_STORE picks one of these at boot; each must count and refuse
 * against the real backend (the rate_limits table, the local Redis).
 */
test.group('rate limiter stores', (group) => {
  group.each.setup(() => truncateAll())

  test('the {$self} store refuses the request over the limit')
    .with(['memory', 'database', 'redis'] as const)
    .run(async ({ assert }, store) => {
      const key = `store-test-${store}-${Date.now()}`
      const counter = limiter.use(store, { requests: 2, duration: '1 minute' })
      await counter.consume(key)
      await counter.consume(key)
      await assert.rejects(() => counter.consume(key))
      await counter.delete(key)
    })
})
