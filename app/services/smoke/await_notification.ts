import { setTimeout as sleep } from 'node:timers/promises'
import { SmokeFailure } from '#services/smoke/smoke_failure'
import { expectSuccess, isJsonObject, type Json } from '#services/smoke/expect_response'
import type { Party } from '#services/smoke/smoke_parties'
import type { SmokeRun } from '#services/smoke/smoke_run'

const POLL_INTERVAL_MS = 200

/**
 * Notifications arrive through the outbox consumer, so they lag behind the
 * action: this is the one place the smoke run waits, polling the
 * recipient's notifications until one of `type` whose payload has every
 * expected value appears, or `waitMs` runs out.
 */
export async function awaitNotification(
  run: SmokeRun,
  recipient: Party,
  type: string,
  expectedPayload: Json,
  label = type
) {
  await run.step(`${recipient.label} notified: ${label}`, async () => {
    const deadline = Date.now() + run.options.waitMs
    for (;;) {
      const response = await run.http.request('GET', '/api/notifications?perPage=100', {
        token: recipient.token,
      })
      const data = expectSuccess(response, 200)
      if (!Array.isArray(data.items)) {
        throw new SmokeFailure('expected data.items to be a list', response)
      }
      if (data.items.some((item) => matches(item, type, expectedPayload))) {
        return
      }
      if (Date.now() >= deadline) {
        throw new SmokeFailure(
          `no ${type} notification for the ${recipient.label} within ${run.options.waitMs} ms; ` +
            'is `node ace outbox:consume` running against this server?',
          response
        )
      }
      await sleep(POLL_INTERVAL_MS)
    }
  })
}

function matches(item: unknown, type: string, expectedPayload: Json) {
  if (!isJsonObject(item) || item.type !== type || !isJsonObject(item.payload)) {
    return false
  }
  const payload = item.payload
  return Object.entries(expectedPayload).every(([key, value]) => payload[key] === value)
}
