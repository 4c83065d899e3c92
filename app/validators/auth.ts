import vine from '@vinejs/vine'
import { SELF_SERVICE_ROLES } from '#models/user'
import { normalizeEmail } from '#services/users/normalize_email'

export const emailField = () =>
  vine.string().trim().maxLength(254).email().transform(normalizeEmail)

export const registerValidator = vine.create({
  email: emailField(),
  password: vine.string().minLength(8).maxLength(128),
  role: vine.enum(SELF_SERVICE_ROLES),
  displayName: vine.string().trim().minLength(1).maxLength(80),
})

export const credentialsValidator = vine.create({
  email: emailField(),
  password: vine.string().minLength(1).maxLength(128),
})

export const tokenValidator = vine.create({
  email: emailField(),
  password: vine.string().minLength(1).maxLength(128),
  name: vine.string().trim().maxLength(100).optional(),
})
