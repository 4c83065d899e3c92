import { errorReason } from '#exceptions/error_reasons'
import { rawHeader } from '#http/raw_header'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#exceptions/domain_error'
import { replay } from '#http/api_response'
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
  requestFingerprint,
} from '#services/idempotency/idempotency_keys'

const VALID_KEY = /^[\x21-\x7e]{1,255}$/

/**
 * Idempotency-Key on money routes (DESIGN.md §5): the same key and body
 * replays the first successful response; the same key with another body is
 * IDEMPOTENCY_KEY_REUSED; a duplicate while the first still runs is
 * IDEMPOTENCY_KEY_IN_USE. Failed requests, validation failures included,
 * are not stored.
 */
export default class IdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    // The raw header: `request.header()` reads an empty value as absent,
    // and an empty key is malformed, not missing.
    const key = rawHeader(ctx, 'idempotency-key')
    if (key === undefined) {
      return next()
    }
    if (!VALID_KEY.test(key)) {
      throw new DomainError('VALIDATION_ERROR', {
        fields: [
          {
            field: 'Idempotency-Key',
            rule: 'format',
            message: errorReason('idempotency_key_format'),
          },
        ],
      })
    }
    const methodRoute = `${ctx.request.method()} ${ctx.route!.pattern}`
    const hash = requestFingerprint(methodRoute, ctx.params, ctx.request.body())
    const claim = await claimIdempotencyKey(ctx.auth.getUserOrFail().id, key, methodRoute, hash)

    switch (claim.kind) {
      case 'replay':
        return replay(ctx, claim.status, claim.body)
      case 'reused':
        throw new DomainError('IDEMPOTENCY_KEY_REUSED')
      case 'in_use':
        throw new DomainError('IDEMPOTENCY_KEY_IN_USE')
    }

    ctx.idempotencyKeyId = claim.id
    try {
      await next()
    } catch (error) {
      await releaseIdempotencyKey(claim)
      throw error
    }
    const status = ctx.response.getStatus()
    if (status >= 200 && status < 300) {
      await completeIdempotencyKey(claim, status, ctx.response.getBody())
    } else {
      await releaseIdempotencyKey(claim)
    }
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** The idempotency_keys row this request runs under, if it sent a key. */
    idempotencyKeyId?: number
  }
}
