import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The text filter has two good plans: for a common word, walk the offers
 * newest first and stop at the page; for a rare one, take the trigram
 * index's few matches and sort them. PostgreSQL picks between them by the
 * word's estimated frequency, which it reads off a sample of search_text.
 * At the default statistics target (100) a word in 0.4 % of the offers was
 * estimated at twice that, and the planner walked 30 000 rows to fill a page
 * (docs/PERF.md); at 1 000 the estimate is close and the plan right. SQLite
 * has neither plan to choose from: there this migration does nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'offers'

  async up() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('ALTER TABLE offers ALTER COLUMN search_text SET STATISTICS 1000')
    this.schema.raw('ANALYZE offers (search_text)')
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('ALTER TABLE offers ALTER COLUMN search_text SET STATISTICS -1')
  }
}
