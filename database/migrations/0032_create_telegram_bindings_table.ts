import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A user's link to a Telegram chat, made with a one-time code. Only the
 * code's SHA-256 is stored.
 */
export default class extends BaseSchema {
  protected tableName = 'telegram_bindings'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table
        .string('code_hash', 64)
        .nullable()
        .unique({ indexName: 'telegram_bindings_code_hash_unique' })
      table.string('status', 16).notNullable().defaultTo('pending')
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('expires_at').notNullable()
      table.bigInteger('chat_id').nullable()
      table.bigInteger('telegram_user_id').nullable()
      table.timestamp('bound_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check(
        "status in ('pending', 'active', 'inactive', 'expired', 'revoked')",
        [],
        'telegram_bindings_status_check'
      )
      table.check('attempts >= 0', [], 'telegram_bindings_attempts_check')
      table.index(['user_id', 'id'], 'telegram_bindings_user_id_index')
      table.index(['chat_id'], 'telegram_bindings_chat_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
