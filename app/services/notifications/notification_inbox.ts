import type User from '#models/user'
import Notification from '#models/notification'
import { paginate, type PageRequest } from '#services/pagination'

/**
 * Unread notifications stand apart from the read ones. An inbox shows at
 * most this many unread at once; marking them read lets older ones in.
 */
export const UNREAD_SHOWN = 100

export async function notificationInbox(user: User, request: PageRequest) {
  const unread = await Notification.query()
    .where('user_id', user.id)
    .whereNull('read_at')
    .orderBy('id', 'desc')
    .limit(UNREAD_SHOWN)
  const read = await paginate(
    Notification.query().where('user_id', user.id).whereNotNull('read_at'),
    request,
    (notification) => notification.toApi()
  )
  return { unread: unread.map((notification) => notification.toApi()), read }
}
