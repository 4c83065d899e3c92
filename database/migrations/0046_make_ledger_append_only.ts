import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The ledger is append-only (DESIGN.md §5) in the database itself, not only
 * by the application's habit: on PostgreSQL, where the money lives, a
 * trigger refuses any UPDATE or DELETE of a ledger row, whoever sends it.
 * TRUNCATE (a test's blank slate, an operator's deliberate reset) is not a
 * row change and is not refused. SQLite, the embedded demo database, has
 * no such trigger: its tests empty tables with DELETE. The function is
 * created OR REPLACE because `migration:fresh` drops tables, not functions.
 */
export default class extends BaseSchema {
  async up() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION ledger_rows_are_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END
      $$ LANGUAGE plpgsql
    `)
    for (const table of ['ledger_transactions', 'ledger_entries']) {
      this.schema.raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_rows_are_append_only()`
      )
    }
  }

  async down() {
    if (this.db.dialect.name !== 'postgres') {
      return
    }
    for (const table of ['ledger_transactions', 'ledger_entries']) {
      this.schema.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`)
    }
    this.schema.raw('DROP FUNCTION IF EXISTS ledger_rows_are_append_only()')
  }
}
