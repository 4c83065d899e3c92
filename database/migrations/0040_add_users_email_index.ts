import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Sign-in and token issuance find the user by `email = ?` (the auth
 * finder); the unique index is on lower(email), which that comparison cannot
 * use, so every sign-in read the whole users table (perf:capture,
 * docs/PERF.md). E-mails are stored lower-cased, so this plain index serves
 * the lookup; uniqueness stays with the lower(email) index.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.index(['email'], 'users_email_index')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['email'], 'users_email_index')
    })
  }
}
