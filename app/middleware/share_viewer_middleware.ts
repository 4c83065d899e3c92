import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { countUnread } from '#services/notifications/read_notifications'
import { pageHref } from '#http/page_href'

/**
 * Tells the layout who is signed in (if anyone) and how many notifications
 * wait unread, for the navigation; and gives list pages their paging links.
 * A signed-in page is never kept by the browser (`no-store`): after sign-out
 * on a shared computer, Back must not show the last person's balance, deals
 * or a one-time Telegram code.
 */
export default class ShareViewerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const web = ctx.auth.use('web')
    const viewer = (await web.check()) ? web.user! : null
    if (viewer) {
      ctx.response.header('Cache-Control', 'no-store')
    }
    ctx.view.share({
      viewer,
      unreadCount: viewer ? await countUnread(viewer) : 0,
      currentPath: ctx.request.url(),
      pageHref: (page: number, param = 'page') => pageHref(ctx.request.qs(), param, page),
    })
    return next()
  }
}
