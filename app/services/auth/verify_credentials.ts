import User from '#models/user'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'

/**
 * Checks an e-mail and password pair (in constant time when the user does
 * not exist) and refuses blocked accounts.
 */
export async function verifyCredentials(email: string, password: string): Promise<User> {
  const user = await User.verifyCredentials(email, password)
  if (user.isBlocked) {
    throw new DomainError('FORBIDDEN', { message: errorReason('account_blocked') })
  }
  return user
}
