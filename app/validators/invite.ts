import vine from '@vinejs/vine'
import { INVITE_STATUSES } from '#models/invite'
import { listFields } from '#validators/pagination'

export const createInviteValidator = vine.create({
  creatorId: vine.number({ strict: true }).withoutDecimals().min(1).max(2_147_483_647),
  message: vine.string().trim().maxLength(2000).optional(),
})

export const listInvitesValidator = vine.create({
  ...listFields,
  status: vine.enum(INVITE_STATUSES).optional(),
})
