import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Creators list published offers only, newest first. This partial index
 * holds the ids of those offers and nothing else: a deep page skips its
 * entries at about two thirds of the cost of `offers_status_id_index`'s,
 * whose entries carry the status and must each be checked against it
 * (docs/PERF.md). The list names the status as a literal, not a binding
 * (`listOffers`), so that its prepared plan can prove this index applies.
 */
export default class extends BaseSchema {
  protected tableName = 'offers'

  async up() {
    this.schema.raw(
      "CREATE INDEX offers_published_id_index ON offers (id) WHERE status = 'published'"
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS offers_published_id_index')
  }
}
