import { setTimeout as sleep } from 'node:timers/promises'
import type { Bot } from 'grammy'
import logger from '@adonisjs/core/services/logger'
import telegramConfig from '#config/telegram'
import {
  claimDueDeliveries,
  deliveryWorkerName,
  failInterruptedDeliveries,
  releaseClaim,
  type ClaimedDelivery,
} from '#services/telegram/claim_telegram_deliveries'
import {
  LOOKBACK_IDS,
  planTelegramDeliveries,
  WIDE_LOOKBACK_IDS,
} from '#services/telegram/plan_telegram_deliveries'
import { sendTelegramDelivery } from '#services/telegram/send_telegram_delivery'
import {
  emptyDeliveryCounters,
  type DeliveryCounters,
} from '#services/telegram/telegram_delivery_policy'
import { describeTelegramError } from '#services/telegram/describe_telegram_error'
import { TelegramPacer } from '#services/telegram/telegram_pacer'

export type DeliverNotificationsOptions = {
  bot: Bot
  /** Stops claiming; deliveries not yet started are given back, the ones in hand finish. */
  signal: AbortSignal
  /** Drain what is due, then return. */
  once: boolean
  counters?: DeliveryCounters
  worker?: string
  pacer?: TelegramPacer
  /** Called on every loop turn (the worker's heartbeat). */
  onTick?: (counters: DeliveryCounters) => Promise<void>
  idleMs?: number
  settings?: Pick<typeof telegramConfig, 'delivery' | 'pacing'>
}

const PLAN_BATCH = 500
/** While sending, new notifications are looked for at most this often. */
const PLAN_EVERY_MS = 500
/** How often stale `sending` rows are looked for. */
const INTERRUPTED_CHECK_EVERY_MS = 5000
/** How often planning looks far back for notifications committed late (WIDE_LOOKBACK_IDS). */
const WIDE_PLAN_EVERY_MS = 60_000

/**
 * A single pass (`once`) that stopped because its own queries failed: what
 * was due may still be due, so the caller must not report success.
 */
export class DeliveryPassFailed extends Error {
  constructor(cause: unknown) {
    super(`the delivery pass stopped on a failure: ${describeTelegramError(cause).message}`, {
      cause,
    })
    this.name = 'DeliveryPassFailed'
  }
}

/**
 * The delivery loop: turn new notifications into deliveries, claim the due
 * ones and send each in its chat's turn, many chats at once, without
 * waiting for a slow chat before claiming more. A failure of the loop's
 * own queries is logged and the loop goes on after a pause; a single pass
 * (`once`) stops on it instead and throws `DeliveryPassFailed` once the
 * messages in hand have finished.
 */
export async function deliverNotifications(options: DeliverNotificationsOptions) {
  const settings = options.settings ?? telegramConfig
  const counters = options.counters ?? emptyDeliveryCounters()
  const worker = options.worker ?? deliveryWorkerName()
  const pacer = options.pacer ?? new TelegramPacer(settings.pacing)
  const idleMs = options.idleMs ?? 1000
  const maxInFlight = settings.pacing.maxPerSecond * 2
  const inFlight = new Map<number, Promise<void>>()
  let lastInterruptedCheck = 0
  let lastPlannedAt = 0
  let lastWidePlanAt = 0
  let moreWidePlanning = true
  let morePlanning = true
  let passFailure: unknown = null

  const deliver = async (delivery: ClaimedDelivery) => {
    try {
      await pacer.run(
        delivery.chatId,
        () =>
          sendTelegramDelivery(delivery, {
            bot: options.bot,
            worker,
            pacer,
            counters,
            delivery: settings.delivery,
          }),
        options.signal
      )
    } catch (error) {
      if (!options.signal.aborted) {
        logger.error(
          {
            err: describeTelegramError(error),
            requestId: delivery.requestId,
            deliveryId: delivery.id,
          },
          'telegram delivery crashed'
        )
      }
      await releaseClaim(delivery, worker).catch(() => {})
    }
  }

  while (!options.signal.aborted) {
    let busy = false
    let plannedNow = false
    let claimedAmongAllChats = false
    try {
      let planned = 0
      if (morePlanning || inFlight.size === 0 || Date.now() - lastPlannedAt >= PLAN_EVERY_MS) {
        lastPlannedAt = Date.now()
        plannedNow = true
        const wide: boolean = moreWidePlanning || Date.now() - lastWidePlanAt >= WIDE_PLAN_EVERY_MS
        if (wide) {
          lastWidePlanAt = Date.now()
        }
        planned = await planTelegramDeliveries(
          PLAN_BATCH,
          counters,
          settings.delivery.maxAgeMs,
          wide ? WIDE_LOOKBACK_IDS : LOOKBACK_IDS
        )
        morePlanning = planned === PLAN_BATCH
        moreWidePlanning = wide && morePlanning
      }
      if (Date.now() - lastInterruptedCheck >= INTERRUPTED_CHECK_EVERY_MS) {
        lastInterruptedCheck = Date.now()
        counters.interrupted += await failInterruptedDeliveries()
      }
      const room = maxInFlight - inFlight.size
      claimedAmongAllChats = inFlight.size === 0
      const claimed =
        room > 0
          ? await claimDueDeliveries(worker, room, inFlight.keys(), settings.delivery.leaseMs)
          : []
      for (const delivery of claimed) {
        const task = deliver(delivery).finally(() => inFlight.delete(delivery.chatId))
        inFlight.set(delivery.chatId, task)
      }
      busy = planned > 0 || claimed.length > 0
      await options.onTick?.(counters)
    } catch (error) {
      passFailure = error
      logger.error({ err: describeTelegramError(error) }, 'telegram delivery loop failed')
    }
    if (busy && inFlight.size < maxInFlight) {
      continue
    }
    if (inFlight.size === 0) {
      if (options.once) {
        // Done once a look for new notifications found none and a claim
        // that skipped no busy chat found nothing due. A chat in flight when
        // the claim began may have finished since, its next message still due.
        // A failed turn ends a single pass too: it would fail the same way again.
        if ((plannedNow && claimedAmongAllChats) || passFailure !== null) {
          break
        }
        continue
      }
      await sleep(idleMs, undefined, { signal: options.signal }).catch(() => {})
    } else {
      await Promise.race([...inFlight.values(), sleep(idleMs, undefined, { ref: false })])
    }
  }
  await Promise.allSettled(inFlight.values())
  await options.onTick?.(counters)
  if (options.once && passFailure !== null && !options.signal.aborted) {
    throw new DeliveryPassFailed(passFailure)
  }
  return counters
}
