import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Telegram updates already taken in, by update_id: both intake paths
 * (webhook and long polling) insert here first, so an update Telegram sends
 * again is handled once.
 */
export default class extends BaseSchema {
  protected tableName = 'telegram_updates'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigInteger('update_id').primary()
      table.timestamp('received_at').notNullable()
      table.index(['received_at'], 'telegram_updates_received_at_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
