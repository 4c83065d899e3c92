import type { HttpContext } from '@adonisjs/core/http'

/** Where the session keeps the page a signed-out visitor asked for. */
export const RETURN_TO_KEY = 'returnTo'

/**
 * The page to open after signing in, taken from the session once: only a
 * path of this site (`/deals/5?x=1`), never `//host` or `/\host`, which a
 * browser would read as another site.
 */
export function returnPathOf(ctx: HttpContext) {
  const path: unknown = ctx.session.pull(RETURN_TO_KEY)
  if (typeof path !== 'string' || !/^\/(?![/\\])/.test(path) || path.startsWith('/login')) {
    return null
  }
  return path
}
