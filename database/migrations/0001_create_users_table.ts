import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('email', 254).notNullable()
      table.string('password').notNullable()
      table.string('role', 16).notNullable()
      table.string('display_name', 80).notNullable()
      table.timestamp('blocked_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.check("role in ('creator', 'brand', 'admin')", [], 'users_role_check')
    })
    // Emails are stored lower-cased; the index on lower(email) also stops a
    // raw insert from creating a case variant of an existing address.
    this.schema.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))')
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
