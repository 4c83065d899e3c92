import vine from '@vinejs/vine'
import { APPLICATION_STATUSES } from '#models/application'
import { listFields } from '#validators/pagination'

export const submitApplicationValidator = vine.create({
  message: vine.string().trim().maxLength(2000).optional(),
})

export const listApplicationsValidator = vine.create({
  ...listFields,
  status: vine.enum(APPLICATION_STATUSES).optional(),
  offerId: vine.number().withoutDecimals().min(1).max(2_147_483_647).optional(),
})
