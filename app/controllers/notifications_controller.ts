import type { HttpContext } from '@adonisjs/core/http'
import Notification from '#models/notification'
import NotificationPolicy from '#policies/notification_policy'
import { ok } from '#http/api_response'
import { findRecord } from '#http/find_record'
import { listNotificationsValidator } from '#validators/notification'
import {
  countUnread,
  listNotifications,
  markAllRead,
  markRead,
} from '#services/notifications/read_notifications'

export default class NotificationsController {
  async index(ctx: HttpContext) {
    const filters = await listNotificationsValidator.validate(ctx.request.qs())
    return ok(ctx, await listNotifications(ctx.auth.getUserOrFail(), filters))
  }

  async unreadCount(ctx: HttpContext) {
    return ok(ctx, { unread: await countUnread(ctx.auth.getUserOrFail()) })
  }

  async read(ctx: HttpContext) {
    const notification = await findRecord(Notification, ctx.params.id, Number.MAX_SAFE_INTEGER)
    await ctx.bouncer.with(NotificationPolicy).authorize('read', notification)
    const marked = await markRead(notification)
    return ok(ctx, { notification: marked.toApi() })
  }

  async readAll(ctx: HttpContext) {
    return ok(ctx, { marked: await markAllRead(ctx.auth.getUserOrFail()) })
  }
}
