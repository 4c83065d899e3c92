import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * API clients always get JSON, whatever they put in Accept, so the
 * framework never picks an HTML error page for an /api route.
 */
export default class ForceJsonMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url().startsWith('/api')) {
      ctx.request.request.headers.accept = 'application/json'
    }
    return next()
  }
}
