import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import {
  consumeOutboxBatch,
  consumerName,
  emptyCounters,
} from '#services/outbox/consume_outbox_batch'
import logger from '@adonisjs/core/services/logger'
import { describeForLog } from '#exceptions/api_error'
import { workerPreflight } from '#services/workers/preflight'
import { expireInvites, invitesDue } from '#services/invites/expire_invites'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'

/**
 * How often the consumer expires lapsed invites, so that they turn
 * `expired` and both sides hear of it within a minute without a cron.
 */
const INVITE_EXPIRY_EVERY_MS = 60_000

/**
 * Invites expired in one turn of the loop: a backlog (after downtime) is
 * worked off a batch a turn, between outbox batches, so the heartbeat and
 * a SIGTERM are never kept waiting behind it.
 */
export const INVITE_EXPIRY_BATCH = 200

/** The pause after a failure, doubled for each further failure in a row, up to the cap. */
const FAILURE_PAUSE_MS = 500
const MAX_FAILURE_PAUSE_MS = 30_000

/**
 * Turns outbox events into notifications. `--once` drains what is due and
 * exits; otherwise it polls until SIGTERM, finishing the batch in hand and
 * leaving the rest claimable. Several may run side by side on PostgreSQL.
 * It also expires lapsed invites (`invites:expire`) when it starts and
 * every `INVITE_EXPIRY_EVERY_MS`, before the batch that then tells of them;
 * side by side, each invite still expires once.
 * When its own queries fail (the database restarting, SQLite busy), the
 * loop logs it and tries again after a pause that doubles with each failure
 * in a row; `--once` stops on it with exit 1.
 */
export default class OutboxConsume extends BaseCommand {
  static commandName = 'outbox:consume'
  static description = 'Turn outbox events into notifications (--once: drain and exit)'

  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Handle what is due, then exit' })
  declare once: boolean

  @flags.number({ description: 'Events per batch', default: 100 })
  declare batchSize: number

  @flags.number({ description: 'Milliseconds to wait when nothing is due', default: 1000 })
  declare idleMs: number

  #stopping = new AbortController()

  async run() {
    const flagProblem = this.#flagProblem()
    if (flagProblem) {
      this.logger.error(`outbox:consume: ${flagProblem}`)
      this.exitCode = 1
      return
    }
    const problems = await workerPreflight()
    if (problems.length > 0) {
      this.logger.error(`outbox:consume cannot start: ${problems.join('; ')}`)
      this.exitCode = 1
      return
    }
    const stop = () => {
      this.#stopping.abort()
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)

    const consumer = consumerName()
    const heartbeat = new WorkerHeartbeat('outbox', consumer)
    const counters = emptyCounters()
    const pause = (ms: number) =>
      sleep(ms, undefined, { signal: this.#stopping.signal }).catch(() => {})
    let failuresInARow = 0
    let nextInviteExpiryAt = 0
    try {
      if (this.once) {
        // A one-off run drains the whole backlog before the batches that tell of it.
        await this.#expireInvites(Infinity)
        nextInviteExpiryAt = Infinity
      }
      while (!this.#stopping.signal.aborted) {
        let seen: number
        try {
          if (Date.now() >= nextInviteExpiryAt) {
            // Scheduled before the run: a failing expiry waits its turn
            // instead of holding up the notifications. What this batch (or
            // a consumer beside it) left due, the next turn takes.
            nextInviteExpiryAt = Date.now() + INVITE_EXPIRY_EVERY_MS
            if ((await this.#expireInvites(1)) > 0 && (await invitesDue())) {
              nextInviteExpiryAt = 0
            }
          }
          ;({ seen } = await consumeOutboxBatch(this.batchSize, counters, consumer))
          await heartbeat.beat(counters)
          failuresInARow = 0
        } catch (error) {
          if (this.once) {
            throw error
          }
          failuresInARow += 1
          logger.error({ err: describeForLog(error), failuresInARow }, 'outbox consume failed')
          await pause(Math.min(FAILURE_PAUSE_MS * 2 ** (failuresInARow - 1), MAX_FAILURE_PAUSE_MS))
          continue
        }
        if (seen === 0) {
          if (this.once) {
            break
          }
          await pause(this.idleMs)
        }
      }
    } finally {
      await heartbeat.stop()
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
    }
    this.logger.info(
      `outbox: ${Object.entries(counters)
        .map(([outcome, count]) => `${outcome}=${count}`)
        .join(' ')}`
    )
  }

  async #expireInvites(maxBatches: number) {
    const expired = await expireInvites(INVITE_EXPIRY_BATCH, maxBatches)
    if (expired > 0) {
      logger.info({ expired }, 'invites expired')
    }
    return expired
  }

  #flagProblem() {
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      return '--batch-size must be a whole number from 1 to 10000'
    }
    if (!Number.isInteger(this.idleMs) || this.idleMs < 0 || this.idleMs > 60_000) {
      return '--idle-ms must be a whole number of milliseconds from 0 to 60000'
    }
    return null
  }
}
