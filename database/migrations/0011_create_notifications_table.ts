import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'notifications'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table
        .bigInteger('event_id')
        .notNullable()
        .references('id')
        .inTable('outbox_events')
        .onDelete('CASCADE')
      table.string('type', 64).notNullable()
      table.text('payload').notNullable()
      table.boolean('telegram').notNullable().defaultTo(false)
      table.timestamp('read_at').nullable()
      table.timestamp('created_at').notNullable()
      // Handling an event twice never notifies anyone twice.
      table.unique(['event_id', 'user_id'], { indexName: 'notifications_event_user_unique' })
      table.index(['user_id', 'id'], 'notifications_user_id_index')
    })
    this.schema.raw(
      'CREATE INDEX notifications_user_unread_index ON notifications (user_id, id) WHERE read_at IS NULL'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
