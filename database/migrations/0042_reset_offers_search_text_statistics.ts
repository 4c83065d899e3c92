import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Undoes 0041. The text filter no longer leaves the choice between walking
 * the newest offers and the trigram index to the planner
 * (`scannedPage` in app/services/pagination.ts), so it needs no closer
 * estimate of a word's frequency; and a sample of 1 000 values made
 * PostgreSQL test the pattern against each of them while planning every
 * search: 0.8 ms a search, against 0.1 ms at the default target
 * (docs/PERF.md). SQLite has no statistics target: there this migration
 * does nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'offers'

  async up() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('ALTER TABLE offers ALTER COLUMN search_text SET STATISTICS -1')
    this.schema.raw('ANALYZE offers (search_text)')
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('ALTER TABLE offers ALTER COLUMN search_text SET STATISTICS 1000')
  }
}
