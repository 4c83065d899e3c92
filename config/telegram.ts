import env from '#start/env'
import { positiveInteger } from '#config/workers'

/**
 * What a bot token looks like: the bot's numeric id, a colon, a secret.
 */
export const TELEGRAM_TOKEN_SHAPE = /^\d+:[A-Za-z0-9_-]{30,}$/

/**
 * Settings of the Telegram bot and of its delivery worker
 * (docs/WORKERS.md). The token stays wrapped until the bot is built so that
 * printing this object never prints it.
 */
const telegramConfig = {
  token: env.get('TELEGRAM_BOT_TOKEN') ?? null,
  /** Telegram's by default; tests point it at the fake Bot API. */
  apiRoot: env.get('TELEGRAM_API_ROOT', 'https://api.telegram.org').replace(/\/+$/, ''),
  botUsername: env.get('TELEGRAM_BOT_USERNAME') ?? null,
  /** With a URL, updates come by webhook; without one, telegram:work long-polls. */
  webhookUrl: env.get('TELEGRAM_WEBHOOK_URL') ?? null,
  webhookSecret: env.get('TELEGRAM_WEBHOOK_SECRET') ?? null,
  /** A request to the Bot API that has not answered by then counts as a network failure. */
  requestTimeoutSeconds: positiveInteger(
    'TELEGRAM_REQUEST_TIMEOUT_SECONDS',
    env.get('TELEGRAM_REQUEST_TIMEOUT_SECONDS', 10)
  ),
  pacing: {
    /** Messages per second in total (Telegram allows about 30). */
    maxPerSecond: positiveInteger(
      'TELEGRAM_MAX_PER_SECOND',
      env.get('TELEGRAM_MAX_PER_SECOND', 25)
    ),
    /** Pause after a message before the same chat gets the next one (Telegram: 1 per second). */
    chatIntervalMs: positiveInteger(
      'TELEGRAM_CHAT_INTERVAL_MS',
      env.get('TELEGRAM_CHAT_INTERVAL_MS', 1000)
    ),
  },
  delivery: {
    /** Attempts before a delivery is `dead`. */
    maxAttempts: positiveInteger('TELEGRAM_MAX_ATTEMPTS', env.get('TELEGRAM_MAX_ATTEMPTS', 6)),
    /** First retry delay after a server or network failure; doubles, with jitter, up to the cap. */
    backoffBaseMs: positiveInteger(
      'TELEGRAM_BACKOFF_BASE_MS',
      env.get('TELEGRAM_BACKOFF_BASE_MS', 2000)
    ),
    backoffCapMs: positiveInteger(
      'TELEGRAM_BACKOFF_CAP_MS',
      env.get('TELEGRAM_BACKOFF_CAP_MS', 600_000)
    ),
    /**
     * How long a worker holds claimed deliveries; a delivery still `sending`
     * after it was interrupted (the worker died mid-send) and is never resent.
     */
    leaseMs: positiveInteger(
      'TELEGRAM_CLAIM_LEASE_MS',
      env.get('TELEGRAM_CLAIM_LEASE_MS', 120_000)
    ),
    /** Notifications older than this are not sent to Telegram any more. */
    maxAgeMs: positiveInteger('TELEGRAM_MAX_AGE_MS', env.get('TELEGRAM_MAX_AGE_MS', 86_400_000)),
  },
}

if (telegramConfig.delivery.leaseMs <= telegramConfig.requestTimeoutSeconds * 1000 * 2) {
  throw new Error(
    'TELEGRAM_CLAIM_LEASE_MS must be more than twice TELEGRAM_REQUEST_TIMEOUT_SECONDS'
  )
}

export type TelegramConfig = typeof telegramConfig

export default telegramConfig
