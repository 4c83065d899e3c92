import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One deal per offer and creator unless the earlier one was cancelled or
 * refunded (`assertNoDealYet`): the last line of defence when an invite is
 * accepted and an application of the same creator approved at once.
 */
export default class extends BaseSchema {
  protected tableName = 'deals'

  async up() {
    this.schema.raw(
      "CREATE UNIQUE INDEX deals_one_per_offer_creator ON deals (offer_id, creator_id) WHERE status NOT IN ('cancelled', 'refunded')"
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS deals_one_per_offer_creator')
  }
}
