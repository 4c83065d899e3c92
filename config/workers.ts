import env from '#start/env'
import app from '@adonisjs/core/services/app'

/**
 * A numeric setting that must be a positive integer, or the process stops
 * with its name.
 */
export function positiveInteger(name: string, value: number) {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer`)
  }
  return value
}

/**
 * Settings of the background workers (docs/WORKERS.md).
 */
const workersConfig = {
  outbox: {
    /** After this many failed attempts an event is `dead`. */
    maxAttempts: positiveInteger('OUTBOX_MAX_ATTEMPTS', env.get('OUTBOX_MAX_ATTEMPTS', 8)),
    /** First retry delay; doubles each attempt, with jitter, up to the cap. */
    backoffBaseMs: positiveInteger(
      'OUTBOX_BACKOFF_BASE_MS',
      env.get('OUTBOX_BACKOFF_BASE_MS', 1000)
    ),
    backoffCapMs: positiveInteger(
      'OUTBOX_BACKOFF_CAP_MS',
      env.get('OUTBOX_BACKOFF_CAP_MS', 300_000)
    ),
    /** How long a claim holds; a crashed consumer's events are claimable after it. */
    leaseMs: positiveInteger('OUTBOX_LEASE_MS', env.get('OUTBOX_LEASE_MS', 60_000)),
  },
  healthDir: app.makePath(env.get('WORKER_HEALTH_DIR', 'tmp/health')),
  /** A heartbeat older than this makes /api/health report `degraded`. */
  staleAfterMs: positiveInteger('WORKER_STALE_AFTER_MS', env.get('WORKER_STALE_AFTER_MS', 60_000)),
}

export default workersConfig
