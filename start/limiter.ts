/*
|--------------------------------------------------------------------------
| Rate limits
|--------------------------------------------------------------------------
|
| Register, login and token creation are limited per client IP (per /64
| for IPv6) and per e-mail address. Both are keyed with APP_KEY before they
| become store keys, so the limiter's store never holds personal data
| (app/services/auth/limiter_keys.ts).
|
*/
import limiter from '@adonisjs/limiter/services/main'
import { emailLimiterKey, ipLimiterKey } from '#services/auth/limiter_keys'

export const AUTH_LIMITS = {
  perIpPerMinute: 20,
  perEmailPerMinute: 5,
}

export const throttleAuthByIp = limiter.define('auth_ip', (ctx) => {
  return limiter
    .allowRequests(AUTH_LIMITS.perIpPerMinute)
    .every('1 minute')
    .usingKey(ipLimiterKey(ctx.request.ip()))
})

export const throttleAuthByEmail = limiter.define('auth_email', (ctx) => {
  const email = ctx.request.input('email')
  if (typeof email !== 'string' || email.trim() === '') {
    return limiter.noLimit()
  }
  return limiter
    .allowRequests(AUTH_LIMITS.perEmailPerMinute)
    .every('1 minute')
    .usingKey(emailLimiterKey(email))
})
