import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/**
 * Files from `public/` for the web pages. API requests skip it: the static
 * server would otherwise look up a file for every /api GET, a filesystem
 * call on the hottest path that can never match.
 */
@inject()
export default class StaticAssetsMiddleware {
  constructor(protected assets: StaticMiddleware) {}

  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.url().startsWith('/api/')) {
      return next()
    }
    return this.assets.handle(ctx, next)
  }
}
