import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export default class DealSubmission extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare dealId: number

  @column()
  declare revision: number

  @column()
  declare url: string

  @column()
  declare note: string | null

  @column()
  declare changeRequest: string | null

  @column.dateTime()
  declare changesRequestedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  toApi() {
    return {
      id: this.id,
      revision: this.revision,
      url: this.url,
      note: this.note,
      changeRequest: this.changeRequest,
      changesRequestedAt: this.changesRequestedAt?.toISO() ?? null,
      createdAt: this.createdAt.toISO(),
    }
  }
}
