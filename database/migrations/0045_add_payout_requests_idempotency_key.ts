import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The Idempotency-Key claim a payout request was made under, so that a
 * request run again under the same claim (its server died before recording
 * the answer) finds the payout instead of asking for the money twice.
 * Claim ids are never reused, so the column outlives pruned keys safely.
 */
export default class extends BaseSchema {
  protected tableName = 'payout_requests'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.bigInteger('idempotency_key_id').nullable()
      table.unique(['idempotency_key_id'], {
        indexName: 'payout_requests_idempotency_key_id_unique',
      })
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropUnique(['idempotency_key_id'], 'payout_requests_idempotency_key_id_unique')
      table.dropColumn('idempotency_key_id')
    })
  }
}
