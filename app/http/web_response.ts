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
