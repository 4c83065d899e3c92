import vine from '@vinejs/vine'

export const providerEventValidator = vine.create({
  eventId: vine.string().trim().minLength(1).maxLength(128),
  type: vine.enum(['payment.succeeded'] as const),
  dealId: vine.number({ strict: true }).withoutDecimals().min(1),
  amount: vine.number({ strict: true }).withoutDecimals().min(1),
})
