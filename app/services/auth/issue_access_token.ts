import User from '#models/user'

/**
 * Issues a Bearer token for API clients and the CLI. The secret is shown
 * once, here; only its hash is stored.
 */
export async function issueAccessToken(user: User, name?: string) {
  const token = await User.accessTokens.create(user, ['*'], { name: name ?? 'api' })
  return {
    type: 'bearer' as const,
    token: token.value!.release(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
  }
}
