import vine from '@vinejs/vine'
import { DEAL_STATUSES } from '#models/deal'
import { listFields } from '#validators/pagination'

export const submitWorkValidator = vine.create({
  url: vine
    .string()
    .trim()
    .maxLength(2000)
    .url({ require_protocol: true, protocols: ['http', 'https'] }),
  note: vine.string().trim().maxLength(2000).optional(),
})

export const requestChangesValidator = vine.create({
  reason: vine.string().trim().minLength(1).maxLength(2000),
})

export const listDealsValidator = vine.create({
  ...listFields,
  status: vine.enum(DEAL_STATUSES).optional(),
})
