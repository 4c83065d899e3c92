import User, { type UserRole } from '#models/user'
import { paginate, type PageRequest } from '#services/pagination'

/**
 * Users for the admin, newest first, optionally of one role.
 */
export async function listUsers(filters: PageRequest & { role?: UserRole }) {
  const query = User.query()
  if (filters.role) {
    query.where('role', filters.role)
  }
  return paginate(query, filters, (user) => user.toProfile())
}
