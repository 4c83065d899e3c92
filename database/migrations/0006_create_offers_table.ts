import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'offers'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('brand_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('title', 120).notNullable()
      table.text('brief').notNullable()
      // Lower-cased title and brief: the text filter matches Cyrillic the
      // same way on SQLite (whose LIKE folds ASCII only) and PostgreSQL.
      table.text('search_text').notNullable()
      table.bigInteger('budget').notNullable()
      table.string('currency', 3).notNullable().defaultTo('RUB')
      table.date('deadline').nullable()
      table.string('status', 16).notNullable().defaultTo('draft')
      table.timestamp('published_at').nullable()
      table.timestamp('closed_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check("status in ('draft', 'published', 'closed')", [], 'offers_status_check')
      table.check('budget > 0', [], 'offers_budget_check')
      table.check("currency in ('RUB')", [], 'offers_currency_check')
      table.index(['status', 'id'], 'offers_status_id_index')
      table.index(['brand_id', 'id'], 'offers_brand_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
