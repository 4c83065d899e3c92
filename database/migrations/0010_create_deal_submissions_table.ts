import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'deal_submissions'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('deal_id').notNullable().references('id').inTable('deals').onDelete('CASCADE')
      table.integer('revision').notNullable()
      table.string('url', 2000).notNullable()
      table.text('note').nullable()
      // Filled when the brand asks for changes to this revision.
      table.text('change_request').nullable()
      table.timestamp('changes_requested_at').nullable()
      table.timestamp('created_at').notNullable()
      table.check('revision >= 1', [], 'deal_submissions_revision_check')
      table.unique(['deal_id', 'revision'], { indexName: 'deal_submissions_revision_unique' })
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
