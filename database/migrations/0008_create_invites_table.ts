import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'invites'

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
      table.integer('brand_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.text('message').nullable()
      table.string('status', 16).notNullable().defaultTo('pending')
      table.timestamp('expires_at').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('pending', 'accepted', 'declined', 'withdrawn', 'expired')",
        [],
        'invites_status_check'
      )
      table.index(['creator_id', 'id'], 'invites_creator_id_index')
      table.index(['brand_id', 'id'], 'invites_brand_id_index')
      table.index(['status', 'expires_at'], 'invites_status_expires_index')
    })
    // At most one pending invite per offer and creator; answered ones may repeat.
    this.schema.raw(
      "CREATE UNIQUE INDEX invites_one_pending_unique ON invites (offer_id, creator_id) WHERE status = 'pending'"
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
