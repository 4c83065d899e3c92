import vine from '@vinejs/vine'
import { USER_ROLES } from '#models/user'
import { emailField } from '#validators/auth'

/**
 * What `node ace user:create` accepts; unlike registration it allows admin.
 */
export const createUserValidator = vine.create({
  email: emailField(),
  password: vine.string().minLength(8).maxLength(128),
  role: vine.enum(USER_ROLES),
  displayName: vine.string().trim().minLength(1).maxLength(80),
})
