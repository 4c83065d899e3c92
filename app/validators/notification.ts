import vine from '@vinejs/vine'
import { listFields } from '#validators/pagination'

export const listNotificationsValidator = vine.create({
  ...listFields,
  unread: vine.boolean().optional(),
})
