import type { HttpContext } from '@adonisjs/core/http'
import i18nManager from '@adonisjs/i18n/services/main'
import { errors as vineErrors } from '@vinejs/vine'
import { DomainError } from '#exceptions/domain_error'
import type { ApiError } from '#exceptions/api_error'
import { htmlPage } from '#http/api_response'
import { redirectBack } from '#http/web_response'
import { statusBadge } from '#http/status_labels'
import { RETURN_TO_KEY } from '#http/return_to'

/**
 * Web pages answer errors the way people expect from a form: back to the
 * page with a flash message and each invalid field marked, or to sign-in
 * when the session is missing. A page that cannot be shown at all renders
 * the error page, never JSON.
 */
export async function respondToWebError(error: unknown, apiError: ApiError, ctx: HttpContext) {
  if (!ctx.i18n) {
    ctx.i18n = i18nManager.locale(i18nManager.defaultLocale)
    ctx.view.share({ i18n: ctx.i18n })
  }
  const session = ctx.session
  if (!session) {
    return renderErrorPage(ctx, apiError, ctx.i18n.t(`errors.${apiError.code}`))
  }

  if (apiError.code === 'UNAUTHENTICATED' || apiError.code === 'SESSION_INVALID') {
    if (ctx.request.url() !== '/login') {
      if (ctx.request.method() === 'GET') {
        // A link from a Telegram message or a bookmark opens its page once
        // the person has signed in, not the home page.
        session.put(RETURN_TO_KEY, ctx.request.url(true))
      }
      session.flash('error', ctx.i18n.t('auth.required'))
      return ctx.response.redirect('/login')
    }
  }

  /**
   * A page that cannot be shown (a bad query string included) is an error
   * page: redirecting back could send a reload straight back to it.
   */
  if (
    ctx.request.method() === 'GET' ||
    apiError.code === 'INTERNAL' ||
    apiError.code === 'SERVICE_UNAVAILABLE'
  ) {
    return renderErrorPage(ctx, apiError, messageOf(error, apiError, ctx))
  }

  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    session.flashValidationErrors(error)
    return redirectBack(ctx)
  }

  // What was typed comes back with every refusal, a stale form's included:
  // a long brief must not be lost to an expired session.
  session.flashExcept(['_csrf', 'password'])
  if (isCsrfFailure(error)) {
    session.flash('error', ctx.i18n.t('errors.E_BAD_CSRF_TOKEN'))
    return redirectBack(ctx)
  }

  if (apiError.fields?.length) {
    session.flash(
      'inputErrorsBag',
      Object.fromEntries(apiError.fields.map(({ field, message }) => [field, [message]]))
    )
  }
  session.flash('error', messageOf(error, apiError, ctx))
  return redirectBack(ctx)
}

function isCsrfFailure(error: unknown) {
  return (error as { code?: unknown })?.code === 'E_BAD_CSRF_TOKEN'
}

/**
 * A domain error's own message is already Russian; a refused transition
 * shows its reason without the raw status.
 */
function messageOf(error: unknown, apiError: ApiError, ctx: HttpContext) {
  if (error instanceof DomainError) {
    if (error.reason) {
      return error.reason
    }
    if (error.current) {
      const { label } = statusBadge(ctx.i18n, error.current.kind, error.current.status)
      return ctx.i18n.t('errors.conflict_now', { status: label })
    }
    return error.message
  }
  if ((error as { code?: unknown })?.code === 'E_INVALID_CREDENTIALS') {
    return ctx.i18n.t('auth.login.failed')
  }
  if (apiError.code === 'INTERNAL') {
    return ctx.i18n.t('errors.INTERNAL')
  }
  return apiError.message ?? ctx.i18n.t(`errors.${apiError.code}`)
}

async function renderErrorPage(ctx: HttpContext, apiError: ApiError, message: string) {
  const status = statusOf(apiError.code)
  const signedIn = ctx.auth?.isAuthenticated === true && ctx.session !== undefined
  const html = await ctx.view.render('pages/error', { status, message, signedIn })
  for (const [name, value] of Object.entries(apiError.headers ?? {})) {
    ctx.response.header(name, value)
  }
  htmlPage(ctx, status, html)
}

function statusOf(code: ApiError['code']) {
  switch (code) {
    case 'NOT_FOUND':
      return 404
    case 'FORBIDDEN':
      return 403
    case 'RATE_LIMITED':
      return 429
    case 'BAD_REQUEST':
    case 'VALIDATION_ERROR':
      return 400
    case 'PAYLOAD_TOO_LARGE':
      return 413
    case 'SERVICE_UNAVAILABLE':
      return 503
    default:
      return 500
  }
}
