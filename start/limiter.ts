/*
|--------------------------------------------------------------------------
| Rate limits
|--------------------------------------------------------------------------
|
| Register, login and token creation are limited per client IP and per
| e-mail address. The e-mail is hashed before it becomes a store key so the
| limiter's store never holds personal data.
|
*/
import { createHash } from 'node:crypto'
import limiter from '@adonisjs/limiter/services/main'

export const AUTH_LIMITS = {
  perIpPerMinute: 20,
  perEmailPerMinute: 5,
}

export const throttleAuthByIp = limiter.define('auth_ip', (ctx) => {
  return limiter
    .allowRequests(AUTH_LIMITS.perIpPerMinute)
    .every('1 minute')
    .usingKey(ctx.request.ip())
})

export const throttleAuthByEmail = limiter.define('auth_email', (ctx) => {
  const email = ctx.request.input('email')
  if (typeof email !== 'string' || email.trim() === '') {
    return limiter.noLimit()
  }
  const key = createHash('sha256').update(email.trim().toLowerCase()).digest('hex')
  return limiter.allowRequests(AUTH_LIMITS.perEmailPerMinute).every('1 minute').usingKey(key)
})
