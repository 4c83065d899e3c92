import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { appUrl } from '#config/app'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'
import { rawHeader } from '#http/raw_header'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const publicOrigin = new URL(appUrl).origin

/**
 * An /api write that a browser sends from another site is refused. The
 * session cookie is SameSite=Lax, so a form on another site cannot act with
 * the visitor's session, but its answer can set one: a form posting to
 * /api/auth/login signed the browser into the account the form chose
 * (login CSRF), and a sibling subdomain counts as the same site. Browsers
 * name the page's origin on every cross-origin POST; it must be this
 * server's (as the request reached it, or the public APP_URL behind a
 * proxy). A request without Origin (an API client, curl, a test) is not a
 * browser's form and passes; an empty Origin is not this server's and is
 * refused.
 */
export default class SameOriginWritesMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const origin = rawHeader(ctx, 'origin')
    if (origin !== undefined && !SAFE_METHODS.has(ctx.request.method()) && !isOwn(origin, ctx)) {
      throw new DomainError('FORBIDDEN', { message: errorReason('cross_origin_write') })
    }
    return next()
  }
}

function isOwn(origin: string, ctx: HttpContext) {
  if (origin === publicOrigin) {
    return true
  }
  const host = ctx.request.header('host')
  return host !== undefined && URL.canParse(origin) && new URL(origin).host === host
}
