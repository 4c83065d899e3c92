import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The offers text filter is `search_text LIKE '%q%'`: an infix match that no
 * b-tree index serves, so every filtered list read the whole table (see
 * docs/PERF.md). On PostgreSQL a trigram GIN index serves it; pg_trgm is a
 * trusted extension (PostgreSQL 13+), which the database owner may create.
 * SQLite has no such index: there the filter keeps scanning, and this
 * migration does nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'offers'

  async up() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    this.schema.raw(
      'CREATE INDEX offers_search_text_trgm_index ON offers USING gin (search_text gin_trgm_ops)'
    )
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    // The extension stays: other objects may have come to use it.
    this.schema.raw('DROP INDEX IF EXISTS offers_search_text_trgm_index')
  }
}
