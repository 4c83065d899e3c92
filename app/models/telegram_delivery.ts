import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { asInteger } from '#models/offer'

export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'skipped',
  'failed',
  'dead',
] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/**
 * A notification on its way to a Telegram chat: `pending` until a worker
 * takes it, `sending` only around the one HTTP call, then `sent`,
 * `skipped`, `failed` or `dead` for good.
 */
export default class TelegramDelivery extends BaseModel {
  @column({ isPrimary: true, consume: asInteger })
  declare id: number

  @column({ consume: asInteger })
  declare notificationId: number

  @column()
  declare userId: number

  @column({ consume: asInteger })
  declare chatId: number | null

  @column()
  declare status: DeliveryStatus

  @column()
  declare attempts: number

  @column.dateTime()
  declare nextAttemptAt: DateTime

  @column()
  declare claimedBy: string | null

  @column.dateTime()
  declare claimedUntil: DateTime | null

  @column()
  declare lastError: string | null

  @column({ consume: asInteger })
  declare telegramMessageId: number | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
