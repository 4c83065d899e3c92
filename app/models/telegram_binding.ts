import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { asInteger } from '#models/offer'

export const BINDING_STATUSES = ['pending', 'active', 'inactive', 'expired', 'revoked'] as const
export type BindingStatus = (typeof BINDING_STATUSES)[number]

export default class TelegramBinding extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column({ serializeAs: null })
  declare codeHash: string | null

  @column()
  declare status: BindingStatus

  @column()
  declare attempts: number

  @column.dateTime()
  declare expiresAt: DateTime

  @column({ consume: asInteger, serializeAs: null })
  declare chatId: number | null

  @column({ consume: asInteger, serializeAs: null })
  declare telegramUserId: number | null

  @column.dateTime()
  declare boundAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /**
   * What the owner sees: never the chat id or the code.
   */
  toApi() {
    const expired = this.status === 'pending' && this.expiresAt <= DateTime.now()
    return {
      id: this.id,
      status: expired ? ('expired' as const) : this.status,
      expiresAt: this.expiresAt.toISO(),
      boundAt: this.boundAt?.toISO() ?? null,
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
    }
  }
}
