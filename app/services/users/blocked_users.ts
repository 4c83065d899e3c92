import db from '@adonisjs/lucid/services/db'

/** Which of the users a page mentions an admin has blocked, read in one query. */
export async function blockedAmong(userIds: number[]): Promise<Set<number>> {
  const ids = [...new Set(userIds)]
  if (ids.length === 0) {
    return new Set()
  }
  const rows = await db.from('users').whereIn('id', ids).whereNotNull('blocked_at').select('id')
  return new Set(rows.map((row) => Number(row.id)))
}
