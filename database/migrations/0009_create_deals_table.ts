import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'deals'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('offer_id').notNullable().references('id').inTable('offers').onDelete('CASCADE')
      table.integer('brand_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table
        .integer('creator_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('application_id')
        .nullable()
        .unique()
        .references('id')
        .inTable('applications')
        .onDelete('CASCADE')
      table
        .integer('invite_id')
        .nullable()
        .unique()
        .references('id')
        .inTable('invites')
        .onDelete('CASCADE')
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable().defaultTo('RUB')
      table.string('status', 20).notNullable().defaultTo('awaiting_funding')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('awaiting_funding', 'funded', 'submitted', 'completed', 'cancelled', 'refunded')",
        [],
        'deals_status_check'
      )
      table.check('amount > 0', [], 'deals_amount_check')
      table.check('(application_id is null) <> (invite_id is null)', [], 'deals_one_origin_check')
      table.index(['brand_id', 'id'], 'deals_brand_id_index')
      table.index(['creator_id', 'id'], 'deals_creator_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
