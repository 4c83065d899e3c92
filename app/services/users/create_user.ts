import User, { type UserRole } from '#models/user'
import { DomainError } from '#exceptions/domain_error'
import { toApiError } from '#exceptions/api_error'
import { errorReason } from '#exceptions/error_reasons'
import { normalizeEmail } from '#services/users/normalize_email'

export type NewUser = {
  email: string
  password: string
  role: UserRole
  displayName: string
}

/**
 * Creates a user with the e-mail in its one spelling (`normalizeEmail`).
 * The unique index on lower(email) decides races between two sign-ups with
 * the same address.
 */
export async function createUser(input: NewUser): Promise<User> {
  try {
    return await User.create({ ...input, email: normalizeEmail(input.email) })
  } catch (error) {
    if (toApiError(error).code === 'CONFLICT') {
      throw new DomainError('CONFLICT', { message: errorReason('email_taken') })
    }
    throw error
  }
}
