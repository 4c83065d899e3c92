import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'idempotency_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('key', 255).notNullable()
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table.string('method_route', 200).notNullable()
      table.string('request_hash', 64).notNullable()
      table.string('state', 16).notNullable()
      table.integer('response_status').nullable()
      table.text('response_body').nullable()
      table.timestamp('created_at').notNullable()
      table.check("state in ('in_progress', 'done')", [], 'idempotency_keys_state_check')
      table.unique(['user_id', 'key'], { indexName: 'idempotency_keys_user_key_unique' })
      table.index(['created_at'], 'idempotency_keys_created_at_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
