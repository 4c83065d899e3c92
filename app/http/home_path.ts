import type User from '#models/user'

const HOME_BY_ROLE = { creator: '/offers', brand: '/offers', admin: '/admin/payouts' } as const

/**
 * The page a user lands on after signing in.
 */
export function homePathOf(user: User) {
  return HOME_BY_ROLE[user.role]
}
