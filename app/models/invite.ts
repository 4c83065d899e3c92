import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const INVITE_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn', 'expired'] as const
export type InviteStatus = (typeof INVITE_STATUSES)[number]

export default class Invite extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare offerId: number

  @column()
  declare creatorId: number

  @column()
  declare brandId: number

  @column()
  declare message: string | null

  @column()
  declare status: InviteStatus

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  toApi() {
    return {
      id: this.id,
      offerId: this.offerId,
      creatorId: this.creatorId,
      brandId: this.brandId,
      message: this.message,
      status: this.status,
      expiresAt: this.expiresAt.toISO(),
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
    }
  }
}
