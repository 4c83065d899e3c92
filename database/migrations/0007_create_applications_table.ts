import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'applications'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('offer_id').notNullable().references('id').inTable('offers').onDelete('CASCADE')
      table
        .integer('creator_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // The offer's brand, copied so a brand's list needs no join.
      table.integer('brand_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.text('message').nullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('pending', 'approved', 'rejected', 'withdrawn')",
        [],
        'applications_status_check'
      )
      table.unique(['offer_id', 'creator_id'], { indexName: 'applications_offer_creator_unique' })
      table.index(['creator_id', 'id'], 'applications_creator_id_index')
      table.index(['brand_id', 'id'], 'applications_brand_id_index')
      table.index(['offer_id', 'id'], 'applications_offer_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
