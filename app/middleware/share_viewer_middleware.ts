import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { countUnread } from '#services/notifications/read_notifications'

/**
 * Tells the layout who is signed in (if anyone) and how many notifications
 * wait unread, for the navigation.
 */
export default class ShareViewerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const web = ctx.auth.use('web')
    const viewer = (await web.check()) ? web.user! : null
    ctx.view.share({
      viewer,
      unreadCount: viewer ? await countUnread(viewer) : 0,
      currentPath: ctx.request.url(),
    })
    return next()
  }
}
