import { BaseSchema } from '@adonisjs/lucid/schema'

const PAGE = 1_000

/**
 * E-mails are read in Unicode NFC since this change (`normalizeEmail`); an
 * address stored before it in another form (a decomposed `é` or `й`) would
 * no longer match its owner's sign-in, and could be registered again in
 * NFC. The stored ones are brought to NFC. Two accounts whose addresses
 * differ only in form are one person's or a clash; which account stays is
 * the operator's call, so the migration stops and names them, before it
 * changes anything. Users are read a page at a time, keeping only the few
 * addresses that change.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.defer(async (db) => {
      const changing: Array<{ id: number; address: string }> = []
      for (let lastId = 0; ;) {
        const page: Array<{ id: number; email: string }> = await db
          .from('users')
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(PAGE)
          .select('id', 'email')
        if (page.length === 0) {
          break
        }
        lastId = page[page.length - 1].id
        for (const user of page) {
          const address = user.email.normalize('NFC')
          if (address !== user.email) {
            changing.push({ id: user.id, address })
          }
        }
      }
      if (changing.length === 0) {
        return
      }

      const idsByAddress = new Map<string, Set<number>>()
      for (const { id, address } of changing) {
        const key = address.toLowerCase()
        idsByAddress.set(key, new Set([...(idsByAddress.get(key) ?? []), id]))
      }
      const addresses = [...idsByAddress.keys()]
      for (let i = 0; i < addresses.length; i += PAGE) {
        const chunk = addresses.slice(i, i + PAGE)
        const holders = await db
          .from('users')
          .whereRaw(`lower(email) in (${chunk.map(() => '?').join(', ')})`, chunk)
          .select('id', 'email')
        for (const holder of holders) {
          idsByAddress.get(holder.email.toLowerCase())?.add(Number(holder.id))
        }
      }
      const clashes = [...idsByAddress.values()].filter((ids) => ids.size > 1)
      if (clashes.length > 0) {
        throw new Error(
          `users' e-mails cannot be brought to Unicode NFC: ${clashes.length} group(s) of accounts would share one address (user ids ${clashes.map((ids) => [...ids].sort((a, b) => a - b).join(', ')).join('; ')}). Merge or change them, then run db:deploy again.`
        )
      }
      for (const { id, address } of changing) {
        await db.from('users').where('id', id).update({ email: address })
      }
    })
  }

  async down() {
    // Nothing to undo: NFC spells each address as its owner typed it.
  }
}
