import type { HttpContext } from '@adonisjs/core/http'

/**
 * A web form succeeded: say so on the next page and go there (the page the
 * form was on, unless another is named).
 */
export function doneAndRedirect(ctx: HttpContext, messageKey: string, to?: string) {
  ctx.session.flash('success', ctx.i18n.t(messageKey))
  if (to) {
    return ctx.response.redirect(to)
  }
  return ctx.response.redirect().back()
}

/**
 * The one place that writes an HTML body with a chosen status (error
 * pages); API bodies go through api_response.ts.
 */
export function htmlPage(ctx: HttpContext, status: number, html: string) {
  ctx.response.status(status)
  ctx.response.header('Content-Type', 'text/html; charset=utf-8')
  ctx.response.send(html)
}
