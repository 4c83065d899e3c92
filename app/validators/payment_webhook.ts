import vine from '@vinejs/vine'
import { MAX_INT_ID } from '#http/find_record'

export const providerEventValidator = vine.create({
  eventId: vine.string().trim().minLength(1).maxLength(128),
  type: vine.enum(['payment.succeeded'] as const),
  dealId: vine.number({ strict: true }).withoutDecimals().min(1).max(MAX_INT_ID),
  amount: vine.number({ strict: true }).withoutDecimals().min(1),
})
