import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A consumer claims events for a lease: events held by a consumer that
 * crashed become claimable again when the lease runs out.
 */
export default class extends BaseSchema {
  protected tableName = 'outbox_events'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('claimed_by', 100).nullable()
      table.timestamp('claimed_until').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('claimed_by')
      table.dropColumn('claimed_until')
    })
  }
}
