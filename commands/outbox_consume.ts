import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { consumeOutboxBatch, emptyCounters } from '#services/outbox/consume_outbox_batch'

/**
 * Turns outbox events into notifications. `--once` drains what is due and
 * exits; otherwise it polls until SIGTERM, finishing the batch in hand.
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
    const counters = emptyCounters()
    const stop = () => {
      this.#stopping = true
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)

    while (!this.#stopping) {
      const { seen } = await consumeOutboxBatch(this.batchSize, counters)
      if (seen === 0) {
        if (this.once) {
          break
        }
        await sleep(this.idleMs)
      }
    }
    this.logger.info(
      `outbox: ${Object.entries(counters)
        .map(([outcome, count]) => `${outcome}=${count}`)
        .join(' ')}`
    )
  }
}
