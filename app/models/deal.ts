import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import DealSubmission from '#models/deal_submission'
import { asInteger } from '#models/offer'

export const DEAL_STATUSES = [
  'awaiting_funding',
  'funded',
  'submitted',
  'completed',
  'cancelled',
  'refunded',
] as const
export type DealStatus = (typeof DEAL_STATUSES)[number]

export default class Deal extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare offerId: number

  @column()
  declare brandId: number

  @column()
  declare creatorId: number

  @column()
  declare applicationId: number | null

  @column()
  declare inviteId: number | null

  @column({ consume: asInteger })
  declare amount: number

  @column()
  declare currency: string

  @column()
  declare status: DealStatus

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => DealSubmission)
  declare submissions: HasMany<typeof DealSubmission>

  toApi() {
    return {
      id: this.id,
      offerId: this.offerId,
      brandId: this.brandId,
      creatorId: this.creatorId,
      applicationId: this.applicationId,
      inviteId: this.inviteId,
      amount: this.amount,
      currency: this.currency,
      status: this.status,
      createdAt: this.createdAt.toISO(),
      updatedAt: this.updatedAt.toISO(),
      ...(this.$preloaded.submissions
        ? { submissions: this.submissions.map((submission) => submission.toApi()) }
        : {}),
    }
  }
}
