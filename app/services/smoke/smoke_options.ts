import type { SmokeOptions } from '#services/smoke/smoke_run'

/** An hour: more is a typo, and past 2^31 − 1 ms Node's timers fire at once. */
const MAX_WAIT_MS = 3_600_000

export type SmokeSettings = {
  baseUrl: string
  adminEmail?: string
  adminPassword?: string
  waitMs: number
  timeoutMs: number
}

/**
 * Flags win over the environment for the admin credentials. Anything
 * unusable is one line for the operator, before any request is sent.
 */
export function resolveSmokeOptions(
  settings: SmokeSettings,
  environment: { adminEmail?: string; adminPassword?: string }
): { options: SmokeOptions } | { problem: string } {
  const baseUrl = normalizedBaseUrl(settings.baseUrl)
  if (!baseUrl) {
    return {
      problem: `--base-url must be an http:// or https:// URL, got "${settings.baseUrl}"`,
    }
  }
  const email = settings.adminEmail || environment.adminEmail
  const password = settings.adminPassword || environment.adminPassword
  if (!email || !password) {
    return {
      problem:
        'admin credentials missing: pass --admin-email and --admin-password, ' +
        'or set SMOKE_ADMIN_EMAIL and SMOKE_ADMIN_PASSWORD',
    }
  }
  for (const [flag, value] of [
    ['--wait-ms', settings.waitMs],
    ['--timeout-ms', settings.timeoutMs],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0 || value > MAX_WAIT_MS) {
      return { problem: `${flag} must be a whole number of milliseconds from 1 to ${MAX_WAIT_MS}` }
    }
  }
  return {
    options: {
      baseUrl,
      admin: { email, password },
      waitMs: settings.waitMs,
      timeoutMs: settings.timeoutMs,
    },
  }
}

/**
 * The origin plus any path prefix, without a trailing slash, so that
 * `${baseUrl}/api/...` is right for `http://host:3333/` and for an app
 * mounted under a prefix.
 */
function normalizedBaseUrl(value: string): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return null
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    return null
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
