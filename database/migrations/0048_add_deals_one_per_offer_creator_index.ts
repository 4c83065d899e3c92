import { BaseSchema } from '@adonisjs/lucid/schema'

const UNPAID_END_STATUSES = ['cancelled', 'refunded']

/**
 * One deal per offer and creator unless the earlier one was cancelled or
 * refunded (`assertNoDealYet`): the last line of defence when an invite is
 * accepted and an application of the same creator approved at once.
 *
 * Before it, nothing stopped a second live deal, so a database may hold
 * some. The index cannot be built over them, and which one to end is the
 * operator's call (it may be funded): the migration stops and names them.
 */
export default class extends BaseSchema {
  protected tableName = 'deals'

  async up() {
    this.defer(async (db) => {
      const pairs = await db
        .from('deals')
        .whereNotIn('status', UNPAID_END_STATUSES)
        .groupBy('offer_id', 'creator_id')
        .havingRaw('count(*) > 1')
        .select('offer_id', 'creator_id')
        .orderBy('offer_id')
      if (pairs.length === 0) {
        return
      }
      const listed: string[] = []
      for (const pair of pairs) {
        const deals = await db
          .from('deals')
          .where({ offer_id: pair.offer_id, creator_id: pair.creator_id })
          .whereNotIn('status', UNPAID_END_STATUSES)
          .orderBy('id')
          .select('id', 'status')
        listed.push(
          `offer ${pair.offer_id}, creator ${pair.creator_id}: deals ${deals.map((deal) => `${deal.id} (${deal.status})`).join(', ')}`
        )
      }
      throw new Error(
        `deals_one_per_offer_creator cannot be built: ${pairs.length} offer/creator pair(s) hold more than one live deal (${listed.join('; ')}). Cancel or refund the extra deals, then run db:deploy again.`
      )
    })
    this.schema.raw(
      `CREATE UNIQUE INDEX deals_one_per_offer_creator ON deals (offer_id, creator_id) WHERE status NOT IN (${UNPAID_END_STATUSES.map((status) => `'${status}'`).join(', ')})`
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS deals_one_per_offer_creator')
  }
}
