import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { asInteger } from '#models/offer'

export default class Notification extends BaseModel {
  @column({ isPrimary: true, consume: asInteger })
  declare id: number

  @column()
  declare userId: number

  @column({ consume: asInteger })
  declare eventId: number

  @column()
  declare type: string

  @column({
    prepare: (value: unknown) => JSON.stringify(value),
    consume: (value: string) => JSON.parse(value),
  })
  declare payload: Record<string, unknown>

  @column({ consume: (value: unknown) => Boolean(value) })
  declare telegram: boolean

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  toApi() {
    return {
      id: this.id,
      type: this.type,
      payload: this.payload,
      read: this.readAt !== null,
      readAt: this.readAt?.toISO() ?? null,
      createdAt: this.createdAt.toISO(),
    }
  }
}
