import type { HttpContext } from '@adonisjs/core/http'

/** Where the session keeps the page a signed-out visitor asked for. */
export const RETURN_TO_KEY = 'returnTo'

/** A path of this site's pages: a slash, then a letter or digit. */
const OWN_PAGE_START = /^\/[a-z0-9]/i

/**
 * What a browser does not read as written: a backslash (read as a slash),
 * a space or control character (stripped, so `/\t/evil` is `//evil`,
 * another site).
 */
function hasMisreadCharacter(path: string) {
  return [...path].some((char) => char === '\\' || char <= ' ' || char === '\u007f')
}

/**
 * The page to open after signing in, taken from the session once; null
 * unless it is a page of this site other than sign-in itself.
 */
export function returnPathOf(ctx: HttpContext) {
  return ownPage(ctx.session.pull(RETURN_TO_KEY))
}

export function ownPage(path: unknown) {
  if (
    typeof path !== 'string' ||
    !OWN_PAGE_START.test(path) ||
    hasMisreadCharacter(path) ||
    /^\/login(?![\w-])/.test(path)
  ) {
    return null
  }
  return path
}
