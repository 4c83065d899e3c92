import { setTimeout as sleep } from 'node:timers/promises'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'

/**
 * The outbox consumer, in this process, until the returned stop is called:
 * the smoke flow waits for notifications that only a consumer makes, and
 * the consumer's queries belong to the workload too.
 */
export function consumeOutboxInBackground() {
  let running = true
  let failure: unknown = null
  const loop = (async () => {
    while (running) {
      const { seen } = await consumeOutboxBatch(100)
      if (seen === 0) {
        await sleep(50)
      }
    }
  })().catch((error) => {
    failure = error
  })
  return async () => {
    running = false
    await loop
    if (failure) {
      throw failure
    }
  }
}
