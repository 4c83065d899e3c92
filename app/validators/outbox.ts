import vine from '@vinejs/vine'
import { OUTBOX_STATUSES } from '#models/outbox_event'
import { pageFields } from '#validators/pagination'

export const listOutboxValidator = vine.create({
  ...pageFields,
  status: vine.enum(OUTBOX_STATUSES).optional(),
})
