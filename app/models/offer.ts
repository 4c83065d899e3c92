import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export const OFFER_STATUSES = ['draft', 'published', 'closed'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]

/**
 * PostgreSQL returns bigint columns as strings; amounts are safe integers.
 */
export const asInteger = (value: unknown) => (value === null ? null : Number(value))

export default class Offer extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare brandId: number

  @column()
  declare title: string

  @column()
  declare brief: string

  @column({ serializeAs: null })
  declare searchText: string

  @column({ consume: asInteger })
  declare budget: number

  @column()
  declare currency: string

  @column.date()
  declare deadline: DateTime | null

  @column()
  declare status: OfferStatus

  @column.dateTime()
  declare publishedAt: DateTime | null

  @column.dateTime()
  declare closedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  toApi() {
    return {
      id: this.id,
      brandId: this.brandId,
      title: this.title,
      brief: this.brief,
      budget: this.budget,
      currency: this.currency,
      deadline: this.deadline?.toISODate() ?? null,
      status: this.status,
      publishedAt: this.publishedAt?.toISO() ?? null,
      closedAt: this.closedAt?.toISO() ?? null,
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
    }
  }
}
