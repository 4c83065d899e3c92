import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One row per notification sent (or not) to Telegram. The unique
 * notification_id makes a delivery happen at most once per notification;
 * the status says how it ended (docs/WORKERS.md).
 */
export default class extends BaseSchema {
  protected tableName = 'telegram_deliveries'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('notification_id')
        .notNullable()
        .references('id')
        .inTable('notifications')
        .onDelete('CASCADE')
        .unique('telegram_deliveries_notification_id_unique')
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      // Null when there was no active binding to send to.
      table.bigInteger('chat_id').nullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at').notNullable()
      table.string('claimed_by', 100).nullable()
      table.timestamp('claimed_until').nullable()
      table.string('last_error', 1000).nullable()
      table.bigInteger('telegram_message_id').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('pending', 'sending', 'sent', 'skipped', 'failed', 'dead')",
        [],
        'telegram_deliveries_status_check'
      )
      table.check('attempts >= 0', [], 'telegram_deliveries_attempts_check')
      table.index(['user_id', 'id'], 'telegram_deliveries_user_id_index')
    })
    // The worker's claim: due pending deliveries, oldest first.
    this.schema.raw(
      "CREATE INDEX telegram_deliveries_due_index ON telegram_deliveries (next_attempt_at, id) WHERE status = 'pending'"
    )
    // Deliveries a worker was sending when it stopped answering.
    this.schema.raw(
      "CREATE INDEX telegram_deliveries_sending_index ON telegram_deliveries (claimed_until) WHERE status = 'sending'"
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
