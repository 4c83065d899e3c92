import { ACCESS_TOKEN_PREFIX } from '#models/user'
import { MAX_INT_ID } from '#http/find_record'

/**
 * The token of an Authorization header that carries one of our shape:
 * `Bearer <prefix><base64url(integer id)>.<secret>`, the scheme in any case
 * and followed by any run of spaces or tabs (RFC 6750 allows more than
 * one). Anything else gives null and is refused before it reaches the
 * database, where a non-numeric id, or one beyond the tokens' integer
 * column, would break the lookup query (on PostgreSQL) instead of simply
 * matching nothing.
 */
export function bearerTokenOf(header: string): string | null {
  const match = /^Bearer[ \t]+(\S+)$/i.exec(header.trim())
  if (!match || !match[1].startsWith(ACCESS_TOKEN_PREFIX)) {
    return null
  }
  const [identifier, secret, ...rest] = match[1].slice(ACCESS_TOKEN_PREFIX.length).split('.')
  if (!identifier || !secret || rest.length > 0) {
    return null
  }
  const id = Buffer.from(identifier, 'base64url').toString('utf8')
  return /^[1-9]\d{0,9}$/.test(id) && Number(id) <= MAX_INT_ID ? match[1] : null
}
