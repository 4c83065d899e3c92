import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The claim takes each chat's oldest due delivery only: for a candidate it
 * asks whether its chat has an earlier one, a seek in this index. Without
 * it that question scanned the chat's pending rows for every candidate.
 */
export default class extends BaseSchema {
  protected tableName = 'telegram_deliveries'

  async up() {
    this.schema.raw(
      "CREATE INDEX telegram_deliveries_chat_due_index ON telegram_deliveries (chat_id, next_attempt_at, id) WHERE status = 'pending'"
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS telegram_deliveries_chat_due_index')
  }
}
