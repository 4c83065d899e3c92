import vine from '@vinejs/vine'
import { pageFields } from '#validators/pagination'

export const listNotificationsValidator = vine.create({
  ...pageFields,
  unread: vine.boolean().optional(),
})
