import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Provider webhook events already handled, so a replayed delivery changes
 * nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'payment_provider_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('provider', 32).notNullable()
      table.string('event_id', 128).notNullable()
      table.string('type', 64).notNullable()
      table.timestamp('created_at').notNullable()
      table.unique(['provider', 'event_id'], { indexName: 'payment_provider_events_unique' })
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
