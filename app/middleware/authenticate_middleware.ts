import { errorReason } from '#exceptions/error_reasons'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import db from '@adonisjs/lucid/services/db'
import { errors as authErrors } from '@adonisjs/auth'
import { DomainError } from '#exceptions/domain_error'
import { bearerTokenOf } from '#services/auth/access_token_format'

/**
 * Accepts a Bearer token (guard `api`) or a session cookie (guard `web`),
 * and tells apart a request without credentials (UNAUTHENTICATED) from one
 * whose credentials point to a token, session or user that is gone
 * (SESSION_INVALID). Blocked users get FORBIDDEN on every route but signing
 * out.
 */
export default class AuthenticateMiddleware {
  /**
   * `allowBlocked` is for signing out only: a blocked user may always end
   * their own session or revoke their own token. `sessionOnly` is for the
   * web pages, which a browser reaches with its cookie: an Authorization
   * header there is not ours (HTTP Basic in front of a staging site, say)
   * and is ignored, where the API would read it as a token.
   */
  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { allowBlocked?: boolean; sessionOnly?: boolean } = {}
  ) {
    const user = await this.#authenticate(ctx, options.sessionOnly ?? false)
    if (user.blockedAt && !options.allowBlocked) {
      throw new DomainError('FORBIDDEN', { message: errorReason('account_blocked') })
    }
    return next()
  }

  async #authenticate(ctx: HttpContext, sessionOnly: boolean) {
    const authorization = sessionOnly ? undefined : ctx.request.header('authorization')
    const viaToken = authorization !== undefined
    if (viaToken) {
      const token = bearerTokenOf(authorization)
      if (token === null) {
        throw new DomainError('SESSION_INVALID')
      }
      // The token guard splits the header at its first space only.
      ctx.request.request.headers.authorization = `Bearer ${token}`
    }
    try {
      return await ctx.auth.authenticateUsing([viaToken ? 'api' : 'web'])
    } catch (error) {
      if (!(error instanceof authErrors.E_UNAUTHORIZED_ACCESS)) {
        throw error
      }
    }
    const stale = viaToken || (await this.#hadSession(ctx))
    throw new DomainError(stale ? 'SESSION_INVALID' : 'UNAUTHENTICATED')
  }

  /**
   * A session cookie that still holds a login the guard refused (the user is
   * gone), or whose session row is gone (expired, db:reset), is a stale
   * credential rather than no credential.
   */
  async #hadSession(ctx: HttpContext) {
    if (ctx.session.fresh) {
      return false
    }
    if (ctx.session.has(ctx.auth.use('web').sessionKeyName)) {
      return true
    }
    const row = await db.from('sessions').where('id', ctx.session.sessionId).first()
    return !row
  }
}
