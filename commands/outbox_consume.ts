import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import {
  consumeOutboxBatch,
  consumerName,
  emptyCounters,
} from '#services/outbox/consume_outbox_batch'
import { workerPreflight } from '#services/workers/preflight'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'

/**
 * Turns outbox events into notifications. `--once` drains what is due and
 * exits; otherwise it polls until SIGTERM, finishing the batch in hand and
 * leaving the rest claimable. Several may run side by side on PostgreSQL.
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

  #stopping = false

  async run() {
    const problems = await workerPreflight()
    if (problems.length > 0) {
      this.logger.error(`outbox:consume cannot start: ${problems.join('; ')}`)
      this.exitCode = 1
      return
    }
    const stop = () => {
      this.#stopping = true
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)

    const consumer = consumerName()
    const heartbeat = new WorkerHeartbeat('outbox', consumer)
    const counters = emptyCounters()
    try {
      while (!this.#stopping) {
        const { seen } = await consumeOutboxBatch(this.batchSize, counters, consumer)
        await heartbeat.beat(counters)
        if (seen === 0) {
          if (this.once) {
            break
          }
          await sleep(this.idleMs)
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
}
