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
  return redirectBack(ctx)
}

/**
 * Back to the page the form was on (the Referer). A Referer that is not a
 * valid URI (`/offers%zz`, sent by a client, never by a browser) makes the
 * framework's `back()` throw; such a request goes home instead of ending in
 * a 500, after its action has perhaps already been done.
 */
export function redirectBack(ctx: HttpContext) {
  try {
    return ctx.response.redirect().back()
  } catch (error) {
    if (error instanceof URIError) {
      return ctx.response.redirect('/')
    }
    throw error
  }
}
