import limiter from '@adonisjs/limiter/services/main'
import User, { type UserRole } from '#models/user'
import { createUser } from '#services/users/create_user'

export const DEFAULT_PASSWORD = 'correct horse battery'

let sequence = 0

/**
 * A user made straight through the service, so tests that are not about
 * registration do not spend the per-IP rate limit.
 */
export async function makeUser(
  role: UserRole = 'creator',
  overrides: Partial<{ email: string }> = {}
) {
  sequence += 1
  return createUser({
    email: overrides.email ?? `user${sequence}-${Date.now()}@example.test`,
    password: DEFAULT_PASSWORD,
    role,
    displayName: `${role} ${sequence}`,
  })
}

export async function tokenFor(user: User) {
  const token = await User.accessTokens.create(user)
  return token.value!.release()
}

export async function resetRateLimits() {
  await limiter.clear(['memory'])
}
