import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { AccessTokensProvider } from '#services/auth/access_tokens_provider'

export const USER_ROLES = ['creator', 'brand', 'admin'] as const
export type UserRole = (typeof USER_ROLES)[number]

/**
 * Roles anyone may pick when registering; admins are made only by
 * `node ace user:create --role admin`.
 */
export const ACCESS_TOKEN_PREFIX = 'clb_'

export const SELF_SERVICE_ROLES = ['creator', 'brand'] as const

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder) {
  static accessTokens = new AccessTokensProvider({
    tokenableModel: User,
    prefix: ACCESS_TOKEN_PREFIX,
    table: 'auth_access_tokens',
    expiresIn: '30 days',
  })

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: UserRole

  @column()
  declare displayName: string

  @column.dateTime()
  declare blockedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isBlocked() {
    return Boolean(this.blockedAt)
  }

  /**
   * The public shape of a user: no password hash, and the e-mail only for
   * the user themself (callers decide).
   */
  toProfile() {
    return {
      id: this.id,
      email: this.email,
      role: this.role,
      displayName: this.displayName,
      blocked: this.isBlocked,
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
    }
  }
}
