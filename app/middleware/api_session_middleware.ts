import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import { sessionCookieName } from '#config/session'

/**
 * The session of an authenticated API route. A request that carries a
 * Bearer token and no session cookie is authenticated by the token alone:
 * it neither reads the sessions table nor gets a session cookie back, which
 * was a database read on every API request.
 */
@inject()
export default class ApiSessionMiddleware {
  constructor(protected session: SessionMiddleware<any>) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const bearerOnly =
      ctx.request.header('authorization') !== undefined &&
      ctx.request.cookie(sessionCookieName) === undefined
    if (bearerOnly) {
      return next()
    }
    return this.session.handle(ctx, next)
  }
}
