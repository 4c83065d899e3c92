import type { HttpContext } from '@adonisjs/core/http'

/**
 * A request header as it arrived, empty value included: the framework's
 * `request.header()` answers `undefined` for an empty header too, which
 * would let an empty value pass as a header not sent at all. Repeated
 * headers come joined by Node, as `request.header()` gives them.
 */
export function rawHeader(ctx: HttpContext, name: string): string | undefined {
  const value = ctx.request.headers()[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}
