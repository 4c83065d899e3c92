import env from '#start/env'

/**
 * Where the test HTTP server listens, for the few tests that must send
 * bytes the API client would rewrite.
 */
export function baseUrl() {
  return `http://${env.get('HOST', '127.0.0.1')}:${env.get('PORT', 3334)}`
}
