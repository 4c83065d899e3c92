import { ACCESS_TOKEN_PREFIX } from '#models/user'
import { MAX_INT_ID } from '#http/find_record'

/**
 * Whether an Authorization header carries a token of our shape:
 * `Bearer <prefix><base64url(integer id)>.<secret>`. Anything else is
 * refused before it reaches the database, where a non-numeric id, or one
 * beyond the tokens' integer column, would break the lookup query (on
 * PostgreSQL) instead of simply matching nothing.
 */
export function isWellFormedBearer(header: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
  if (!match || !match[1].startsWith(ACCESS_TOKEN_PREFIX)) {
    return false
  }
  const [identifier, secret, ...rest] = match[1].slice(ACCESS_TOKEN_PREFIX.length).split('.')
  if (!identifier || !secret || rest.length > 0) {
    return false
  }
  const id = Buffer.from(identifier, 'base64url').toString('utf8')
  return /^[1-9]\d{0,9}$/.test(id) && Number(id) <= MAX_INT_ID
}
