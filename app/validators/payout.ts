import vine from '@vinejs/vine'
import paymentsConfig from '#config/payments'
import { PAYOUT_STATUSES } from '#models/payout_request'
import { MAX_BUDGET } from '#validators/offer'
import { listFields } from '#validators/pagination'

export const requestPayoutValidator = vine.create({
  amount: vine
    .number({ strict: true })
    .withoutDecimals()
    .min(paymentsConfig.payoutMinAmount)
    .max(MAX_BUDGET),
})

export const listPayoutsValidator = vine.create({
  ...listFields,
  status: vine.enum(PAYOUT_STATUSES).optional(),
})
