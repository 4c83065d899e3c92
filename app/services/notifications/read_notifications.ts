import type User from '#models/user'
import Notification from '#models/notification'
import db from '@adonisjs/lucid/services/db'
import { paginate, type PageRequest } from '#services/pagination'
import { dbNow } from '#services/database/timestamps'

export async function listNotifications(user: User, filters: PageRequest & { unread?: boolean }) {
  const query = Notification.query().where('user_id', user.id)
  if (filters.unread) {
    query.whereNull('read_at')
  }
  return paginate(query, filters, (notification) => notification.toApi())
}

export async function countUnread(user: User) {
  const row = await db
    .from('notifications')
    .where('user_id', user.id)
    .whereNull('read_at')
    .count('* as total')
    .first()
  return Number(row?.total ?? 0)
}

/**
 * Marking is idempotent: an already read notification keeps its first
 * read time.
 */
export async function markRead(notification: Notification) {
  await db
    .from('notifications')
    .where('id', notification.id)
    .whereNull('read_at')
    .update({ read_at: dbNow() })
  return Notification.findOrFail(notification.id)
}

export async function markAllRead(user: User) {
  const updated = await db
    .from('notifications')
    .where('user_id', user.id)
    .whereNull('read_at')
    .update({ read_at: dbNow() })
  return Number(Array.isArray(updated) ? updated[0] : updated)
}
