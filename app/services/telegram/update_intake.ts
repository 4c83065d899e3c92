import { setTimeout as sleep } from 'node:timers/promises'
import { DateTime } from 'luxon'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { requestLogger } from '#services/request_logger'
import telegramConfig from '#config/telegram'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { describeTelegramError } from '#services/telegram/describe_telegram_error'

/** The update types the bot acts on; Telegram sends no others. */
export const ALLOWED_UPDATES = ['message', 'my_chat_member'] as const

/**
 * Telegram keeps an unconfirmed update for 24 hours and may send it again
 * until then; a week of update ids is more than enough to recognise one.
 */
const KEEP_TAKEN_UPDATES = { days: 7 }
const PRUNE_EVERY_MS = 60 * 60 * 1000

const BACKOFF_BASE_MS = 1000
const BACKOFF_CAP_MS = 60_000

let lastPrunedAt = 0

/**
 * grammY types its signal parameter with the abort-controller polyfill;
 * Node's own AbortSignal is what it uses at run time.
 */
type GrammySignal = Parameters<Bot['api']['getUpdates']>[1]
function grammySignal(signal: AbortSignal) {
  return signal as unknown as GrammySignal
}

/**
 * Records that an update was taken in, before it is handled: true the first
 * time, false when the same update_id came before (Telegram sent it again,
 * or the other intake path had it).
 */
export async function claimUpdate(updateId: number) {
  await pruneTakenUpdates()
  const inserted = await db
    .connection()
    .knexQuery()
    .table('telegram_updates')
    .insert({ update_id: updateId, received_at: dbNow() })
    .onConflict('update_id')
    .ignore()
    .returning('update_id')
  return inserted.length === 1
}

async function pruneTakenUpdates() {
  if (Date.now() - lastPrunedAt < PRUNE_EVERY_MS) {
    return
  }
  lastPrunedAt = Date.now()
  await db
    .from('telegram_updates')
    .where('received_at', '<', toDbTimestamp(DateTime.now().minus(KEEP_TAKEN_UPDATES)))
    .delete()
}

/**
 * Runs a claimed update through the bot. A failing handler is logged (no
 * chat id, no token) and never thrown: the update was taken in and is not
 * handled again.
 */
export async function handleClaimedUpdate(bot: Bot, update: Update) {
  try {
    await bot.handleUpdate(update)
    return true
  } catch (error) {
    requestLogger().warn(
      { err: describeTelegramError(error), updateId: update.update_id },
      'telegram update failed'
    )
    return false
  }
}

/**
 * Insert-first de-duplication, then the handlers: an update_id seen before
 * is skipped.
 */
export async function takeInUpdate(bot: Bot, update: Update) {
  if (!(await claimUpdate(update.update_id))) {
    return 'duplicate' as const
  }
  return (await handleClaimedUpdate(bot, update)) ? ('handled' as const) : ('failed' as const)
}

export type UpdateIntakeOptions = {
  signal: AbortSignal
  /** One round (register the webhook, or one getUpdates call), then return. */
  once: boolean
}

/**
 * How updates reach the bot, never both ways at once: with
 * TELEGRAM_WEBHOOK_URL the webhook is registered (with the secret token
 * POST /api/telegram/webhook checks) and this returns; without it, the
 * webhook is deleted and getUpdates is long-polled until the signal aborts.
 * Failed calls are logged and retried with capped backoff; in `once` mode a
 * failed round is logged and the call returns.
 */
export async function runUpdateIntake(bot: Bot, options: UpdateIntakeOptions): Promise<void> {
  if (telegramConfig.webhookUrl) {
    await registerWebhook(bot, telegramConfig.webhookUrl, options)
    return
  }
  await pollUpdates(bot, options)
}

async function registerWebhook(bot: Bot, url: string, options: UpdateIntakeOptions) {
  const secret = telegramConfig.webhookSecret?.release()
  if (!secret) {
    throw new Error('TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not')
  }
  await withBackoff(options, 'webhook', async () => {
    // One connection: Telegram then sends a chat's updates one after the
    // other, as polling takes them, rather than up to 40 at once, where a
    // later unblock could be handled before the block it follows.
    await bot.api.setWebhook(
      url,
      { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 1 },
      grammySignal(options.signal)
    )
    logger.info('telegram webhook registered')
  })
}

/**
 * getUpdates waits at most this long for an update; it must end before the
 * client's request timeout does.
 */
function pollTimeoutSeconds(once: boolean) {
  return once ? 0 : Math.max(0, Math.min(25, telegramConfig.requestTimeoutSeconds - 2))
}

async function pollUpdates(bot: Bot, options: UpdateIntakeOptions) {
  let webhookDeleted = false
  let offset: number | undefined
  let confirmed: number | undefined
  await withBackoff(options, 'polling', async () => {
    if (!webhookDeleted) {
      await bot.api.deleteWebhook({ drop_pending_updates: false }, grammySignal(options.signal))
      webhookDeleted = true
    }
    const timeout = pollTimeoutSeconds(options.once)
    const updates = await bot.api.getUpdates(
      { offset, timeout, allowed_updates: [...ALLOWED_UPDATES] },
      grammySignal(options.signal)
    )
    confirmed = offset
    for (const update of updates) {
      await takeInUpdate(bot, update)
      offset = Math.max(offset ?? 0, update.update_id + 1)
    }
    if (updates.length === 0 && timeout === 0 && !options.once) {
      await sleep(1000, undefined, { signal: options.signal }).catch(() => {})
    }
    return options.once ? 'stop' : 'again'
  })
  if (offset !== undefined && offset !== confirmed) {
    await confirmUpTo(bot, offset)
  }
}

/**
 * getUpdates with an offset tells Telegram the updates before it are done;
 * without this, a stopped poller's last batch would come again (and be
 * recognised as taken) on the next start.
 */
async function confirmUpTo(bot: Bot, offset: number) {
  try {
    await bot.api.getUpdates({ offset, limit: 1, timeout: 0 })
  } catch (error) {
    logger.warn({ err: describeTelegramError(error) }, 'telegram getUpdates confirmation failed')
  }
}

/**
 * Runs `round` until it says stop or the signal aborts. A failure is logged
 * and followed by a pause that doubles up to a cap, with jitter; `once`
 * means a single round whatever its result.
 */
async function withBackoff(
  options: UpdateIntakeOptions,
  mode: 'webhook' | 'polling',
  round: () => Promise<'stop' | 'again' | void>
) {
  let failures = 0
  while (!options.signal.aborted) {
    try {
      const next = await round()
      failures = 0
      if (next !== 'again') {
        return
      }
    } catch (error) {
      if (options.signal.aborted) {
        return
      }
      failures += 1
      const pauseMs = backoffMs(failures)
      logger.warn(
        { err: describeTelegramError(error), mode, failures, pauseMs },
        'telegram update intake failed'
      )
      if (options.once) {
        return
      }
      await sleep(pauseMs, undefined, { signal: options.signal }).catch(() => {})
    }
  }
}

function backoffMs(failures: number) {
  const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1))
  return Math.round(delay / 2 + (Math.random() * delay) / 2)
}
