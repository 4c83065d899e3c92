import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { asInteger } from '#models/offer'

export const OUTBOX_STATUSES = ['pending', 'processing', 'done', 'skipped', 'dead'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export type OutboxMeta = { requestId: string | null; actorId: number | null }

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: string) => JSON.parse(value),
}

export default class OutboxEvent extends BaseModel {
  @column({ isPrimary: true, consume: asInteger })
  declare id: number

  @column()
  declare type: string

  @column()
  declare aggregateType: string

  @column({ consume: asInteger })
  declare aggregateId: number

  @column(json)
  declare payload: Record<string, any>

  @column(json)
  declare meta: OutboxMeta

  @column()
  declare status: OutboxStatus

  @column()
  declare attempts: number

  @column.dateTime()
  declare nextAttemptAt: DateTime

  @column()
  declare lastError: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime()
  declare processedAt: DateTime | null
}
