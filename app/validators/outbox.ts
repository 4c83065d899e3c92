import vine from '@vinejs/vine'
import { OUTBOX_STATUSES } from '#models/outbox_event'
import { listFields } from '#validators/pagination'

export const listOutboxValidator = vine.create({
  ...listFields,
  status: vine.enum(OUTBOX_STATUSES).optional(),
})
