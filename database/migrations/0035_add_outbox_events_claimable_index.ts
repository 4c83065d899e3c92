import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The claim query takes the oldest claimable events by id. Without this
 * index PostgreSQL walks the primary key past every event ever handled, so
 * that each claim costs more as done events pile up (docs/PERF.md,
 * bench:outbox). This partial index holds only the events still pending or
 * processing. SQLite's planner does not use such an index for that query
 * (it runs one consumer anyway): there this migration does nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'outbox_events'

  async up() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw(
      "CREATE INDEX outbox_events_claimable_index ON outbox_events (id) WHERE status IN ('pending', 'processing')"
    )
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('DROP INDEX IF EXISTS outbox_events_claimable_index')
  }
}
