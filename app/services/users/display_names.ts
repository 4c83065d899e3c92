import User from '#models/user'

/**
 * Display names for the users a page mentions, read in one query.
 */
export async function displayNamesOf(userIds: number[]): Promise<Record<number, string>> {
  const ids = [...new Set(userIds)]
  if (ids.length === 0) {
    return {}
  }
  const users = await User.query().whereIn('id', ids).select('id', 'display_name')
  return Object.fromEntries(users.map((user) => [user.id, user.displayName]))
}
