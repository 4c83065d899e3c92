import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { countUnread } from '#services/notifications/read_notifications'
import { pageHref } from '#http/page_href'

/**
 * Tells the layout who is signed in (if anyone) and how many notifications
 * wait unread, for the navigation; and gives list pages their paging links.
 */
export default class ShareViewerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const web = ctx.auth.use('web')
    const viewer = (await web.check()) ? web.user! : null
    ctx.view.share({
      viewer,
      unreadCount: viewer ? await countUnread(viewer) : 0,
      currentPath: ctx.request.url(),
      pageHref: (page: number, param = 'page') => pageHref(ctx.request.qs(), param, page),
    })
    return next()
  }
}
