import vine from '@vinejs/vine'
import { OUTBOX_STATUSES } from '#models/outbox_event'
import { bigIdListFields } from '#validators/pagination'

export const listOutboxValidator = vine.create({
  ...bigIdListFields,
  status: vine.enum(OUTBOX_STATUSES).optional(),
})
