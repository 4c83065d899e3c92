import vine from '@vinejs/vine'
import { bigIdListFields } from '#validators/pagination'

export const listNotificationsValidator = vine.create({
  ...bigIdListFields,
  unread: vine.boolean().optional(),
})
