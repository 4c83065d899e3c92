import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * E-mails are read in Unicode NFC since this change (`normalizeEmail`); an
 * address stored before it in another form (a decomposed `é` or `й`) would
 * no longer match its owner's sign-in, and could be registered again in
 * NFC. The stored ones are brought to NFC. Two accounts whose addresses
 * differ only in form are one person's or a clash; which account stays is
 * the operator's call, so the migration stops and names them.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.defer(async (db) => {
      const users: Array<{ id: number; email: string }> = await db
        .from('users')
        .select('id', 'email')
        .orderBy('id')
      const idsByAddress = new Map<string, number[]>()
      for (const user of users) {
        const address = user.email.normalize('NFC')
        idsByAddress.set(address, [...(idsByAddress.get(address) ?? []), user.id])
      }
      const clashes = [...idsByAddress.values()].filter((ids) => ids.length > 1)
      if (clashes.length > 0) {
        throw new Error(
          `users' e-mails cannot be brought to Unicode NFC: ${clashes.length} group(s) of accounts would share one address (user ids ${clashes.map((ids) => ids.join(', ')).join('; ')}). Merge or change them, then run db:deploy again.`
        )
      }
      for (const user of users) {
        const address = user.email.normalize('NFC')
        if (address !== user.email) {
          await db.from('users').where('id', user.id).update({ email: address })
        }
      }
    })
  }

  async down() {
    // Nothing to undo: NFC spells each address as its owner typed it.
  }
}
