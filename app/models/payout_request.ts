import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { asInteger } from '#models/offer'

export const PAYOUT_STATUSES = ['requested', 'approved', 'paid', 'rejected'] as const
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number]

export default class PayoutRequest extends BaseModel {
  static table = 'payout_requests'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare creatorId: number

  @column({ consume: asInteger })
  declare amount: number

  @column()
  declare currency: string

  @column()
  declare status: PayoutStatus

  @column({ consume: asInteger })
  declare idempotencyKeyId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  toApi() {
    return {
      id: this.id,
      creatorId: this.creatorId,
      amount: this.amount,
      currency: this.currency,
      status: this.status,
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
    }
  }
}
