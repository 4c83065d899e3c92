import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Domain events written in the same transaction as the change they
 * describe; workers turn them into notifications and deliveries.
 */
export default class extends BaseSchema {
  protected tableName = 'outbox_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('type', 64).notNullable()
      table.string('aggregate_type', 32).notNullable()
      table.bigInteger('aggregate_id').notNullable()
      table.text('payload').notNullable()
      table.text('meta').notNullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('next_attempt_at').notNullable()
      table.text('last_error').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('processed_at').nullable()
      table.check(
        "status in ('pending', 'processing', 'done', 'skipped', 'dead')",
        [],
        'outbox_events_status_check'
      )
      table.check('attempts >= 0', [], 'outbox_events_attempts_check')
      table.index(['status', 'next_attempt_at', 'id'], 'outbox_events_due_index')
      table.index(['aggregate_type', 'aggregate_id'], 'outbox_events_aggregate_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
