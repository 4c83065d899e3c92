import type { HttpContext } from '@adonisjs/core/http'
import Notification from '#models/notification'
import NotificationPolicy from '#policies/notification_policy'
import { findRecord } from '#http/find_record'
import { validateListQuery } from '#http/web_form'
import { doneAndRedirect } from '#http/web_response'
import { describeNotification } from '#http/notification_view'
import { pageValidator } from '#validators/web_forms'
import { markAllRead, markRead } from '#services/notifications/read_notifications'
import { notificationInbox } from '#services/notifications/notification_inbox'

export default class NotificationsController {
  async index(ctx: HttpContext) {
    const filters = await validateListQuery(ctx, pageValidator)
    const inbox = await notificationInbox(ctx.auth.getUserOrFail(), filters)
    const present = (item: { type: string; payload: Record<string, unknown> }) => ({
      ...item,
      ...describeNotification(ctx.i18n, item),
    })
    return ctx.view.render('pages/notifications/index', {
      unread: inbox.unread.map(present),
      read: { ...inbox.read, items: inbox.read.items.map(present) },
    })
  }

  async read(ctx: HttpContext) {
    const notification = await findRecord(Notification, ctx.params.id, Number.MAX_SAFE_INTEGER)
    await ctx.bouncer.with(NotificationPolicy).authorize('read', notification)
    await markRead(notification)
    return doneAndRedirect(ctx, 'notifications.marked')
  }

  async readAll(ctx: HttpContext) {
    await markAllRead(ctx.auth.getUserOrFail())
    return doneAndRedirect(ctx, 'notifications.marked_all')
  }
}
