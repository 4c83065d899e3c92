import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'

/**
 * How stale `last_used_at` may get before a request refreshes it. It tells
 * an operator whether a token is in use, which needs minutes, not
 * milliseconds.
 */
export const LAST_USED_PRECISION_MS = 60_000

/**
 * The stock provider, except for what `verify` writes. The stock one
 * updates `last_used_at` on every request, before checking the secret, so a
 * token id with a wrong secret still wrote a row, and every authenticated
 * GET cost a commit. Here only a verified, unexpired token is touched, and
 * at most once per LAST_USED_PRECISION_MS.
 */
export class AccessTokensProvider<Model extends LucidModel> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>) {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) {
      return null
    }
    const db = await this.getDb()
    const row = await db
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .first()
    if (!row) {
      return null
    }
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) {
      return null
    }
    const now = new Date()
    const lastUsedAt = token.lastUsedAt ? new Date(token.lastUsedAt).getTime() : 0
    if (now.getTime() - lastUsedAt >= LAST_USED_PRECISION_MS) {
      await db.from(this.table).where({ id: row.id, type: row.type }).update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}
