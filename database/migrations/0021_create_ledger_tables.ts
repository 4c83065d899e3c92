import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The append-only double-entry ledger (DESIGN.md §5). A transaction's
 * entries sum to zero; its reference is unique, which is the last line of
 * defence against moving the same money twice.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('ledger_transactions', (table) => {
      table.bigIncrements('id')
      table
        .string('reference', 100)
        .notNullable()
        .unique({ indexName: 'ledger_transactions_reference_unique' })
      table.string('kind', 20).notNullable()
      table.integer('deal_id').nullable().references('id').inTable('deals').onDelete('RESTRICT')
      table
        .integer('payout_id')
        .nullable()
        .references('id')
        .inTable('payout_requests')
        .onDelete('RESTRICT')
      table.string('request_id', 128).nullable()
      table.timestamp('created_at').notNullable()
      table.check(
        "kind in ('fund', 'release', 'refund', 'payout_approve', 'payout_reject', 'payout_paid')",
        [],
        'ledger_transactions_kind_check'
      )
      table.index(['deal_id'], 'ledger_transactions_deal_id_index')
      table.index(['payout_id'], 'ledger_transactions_payout_id_index')
    })

    this.schema.createTable('ledger_entries', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('transaction_id')
        .notNullable()
        .references('id')
        .inTable('ledger_transactions')
        .onDelete('RESTRICT')
      table.string('account', 100).notNullable()
      table.bigInteger('amount').notNullable()
      table.string('currency', 3).notNullable()
      table.timestamp('created_at').notNullable()
      table.check('amount <> 0', [], 'ledger_entries_amount_check')
      table.index(['account', 'id'], 'ledger_entries_account_index')
      table.index(['transaction_id'], 'ledger_entries_transaction_id_index')
    })
  }

  async down() {
    this.schema.dropTable('ledger_entries')
    this.schema.dropTable('ledger_transactions')
  }
}
