import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One row per running worker instance, refreshed on every tick;
 * /api/health reports a stale one as degraded.
 */
export default class extends BaseSchema {
  protected tableName = 'worker_heartbeats'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('instance', 100).primary()
      table.string('worker', 32).notNullable()
      table.integer('pid').notNullable()
      table.timestamp('started_at').notNullable()
      table.timestamp('last_tick_at').notNullable()
      table.text('counters').notNullable()
      table.index(['worker', 'last_tick_at'], 'worker_heartbeats_worker_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
