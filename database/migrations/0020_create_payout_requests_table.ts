import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'payout_requests'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('creator_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable().defaultTo('RUB')
      table.string('status', 16).notNullable().defaultTo('requested')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('requested', 'approved', 'paid', 'rejected')",
        [],
        'payout_requests_status_check'
      )
      table.check('amount > 0', [], 'payout_requests_amount_check')
      table.index(['creator_id', 'id'], 'payout_requests_creator_id_index')
      table.index(['status', 'id'], 'payout_requests_status_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
