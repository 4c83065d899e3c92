import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { IDEMPOTENCY_KEY_TTL, pruneIdempotencyKeys } from '#services/idempotency/idempotency_keys'

/**
 * Removes Idempotency-Key records older than their 24-hour retention.
 */
export default class IdempotencyPrune extends BaseCommand {
  static commandName = 'idempotency:prune'
  static description = 'Delete Idempotency-Key records older than 24 hours'

  static options: CommandOptions = { startApp: true }

  async run() {
    const removed = await pruneIdempotencyKeys(IDEMPOTENCY_KEY_TTL)
    this.logger.info(`removed ${removed} idempotency key(s) older than 24 hours`)
  }
}
