/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Every variable the application reads is validated here at boot. A missing
| or malformed value stops the process with one line naming the variable.
| DESIGN.md §9 fixes the names.
|
*/
import { Env } from '@adonisjs/core/env'

/**
 * Required with DB_CONNECTION=pg: a default would start the app against
 * whatever database answers on the local default port. The .env files are
 * already in process.env when this runs, so a DB_CONNECTION set there
 * counts. The message never repeats the value: it holds the password.
 */
function databaseUrl(key: string, value?: string) {
  if (!value) {
    if (process.env.DB_CONNECTION === 'pg') {
      throw new Error(`Missing environment variable "${key}" (required with DB_CONNECTION=pg)`)
    }
    return undefined
  }
  if (!/^postgres(ql)?:\/\/./.test(value) || !URL.canParse(value)) {
    throw new Error(`"${key}" must be a postgres:// or postgresql:// URL`)
  }
  return value
}

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  DATABASE_URL: databaseUrl,
  SQLITE_PATH: Env.schema.string.optional(),
  DB_QUERY_LOG: Env.schema.boolean.optional(),

  PLATFORM_FEE_BPS: Env.schema.number.optional(),
  PAYOUT_MIN_AMOUNT: Env.schema.number.optional(),
  PAYMENT_PROVIDER: Env.schema.enum.optional(['sandbox'] as const),
  PAYMENTS_WEBHOOK_SECRET: Env.schema.secret.optional(),

  TELEGRAM_BOT_TOKEN: Env.schema.secret.optional(),
  TELEGRAM_BOT_USERNAME: Env.schema.string.optional(),
  TELEGRAM_API_ROOT: Env.schema.string.optional({ format: 'url', tld: false }),
  TELEGRAM_WEBHOOK_SECRET: Env.schema.secret.optional(),
  TELEGRAM_WEBHOOK_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  TELEGRAM_MAX_ATTEMPTS: Env.schema.number.optional(),
  TELEGRAM_BACKOFF_BASE_MS: Env.schema.number.optional(),
  TELEGRAM_BACKOFF_CAP_MS: Env.schema.number.optional(),
  TELEGRAM_REQUEST_TIMEOUT_SECONDS: Env.schema.number.optional(),
  TELEGRAM_MAX_PER_SECOND: Env.schema.number.optional(),
  TELEGRAM_CHAT_INTERVAL_MS: Env.schema.number.optional(),
  TELEGRAM_CLAIM_LEASE_MS: Env.schema.number.optional(),
  TELEGRAM_MAX_AGE_MS: Env.schema.number.optional(),
  WORKER_HEALTH_DIR: Env.schema.string.optional(),
  OUTBOX_MAX_ATTEMPTS: Env.schema.number.optional(),
  OUTBOX_BACKOFF_BASE_MS: Env.schema.number.optional(),
  OUTBOX_BACKOFF_CAP_MS: Env.schema.number.optional(),
  OUTBOX_LEASE_MS: Env.schema.number.optional(),
  WORKER_STALE_AFTER_MS: Env.schema.number.optional(),

  SMOKE_ADMIN_EMAIL: Env.schema.string.optional(),
  SMOKE_ADMIN_PASSWORD: Env.schema.secret.optional(),
  USER_PASSWORD: Env.schema.secret.optional(),

  LIMITER_STORE: Env.schema.enum.optional(['memory', 'database', 'redis'] as const),
  REDIS_URL: Env.schema.string.optional({ format: 'url', tld: false }),
})
