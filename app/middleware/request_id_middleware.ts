import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Printable, short, and free of anything a log or header could be abused
 * with. Anything else the client sends is replaced.
 */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value)
}

/**
 * Fixes the request id before anything else runs: taken from a valid
 * X-Request-Id or generated, echoed in the response, and bound to the
 * request's logger so every line of the request carries it.
 */
export default class RequestIdMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const incoming = ctx.request.header('x-request-id')
    const requestId = isValidRequestId(incoming) ? incoming : randomUUID()

    ctx.request.request.headers['x-request-id'] = requestId
    ctx.response.header('X-Request-Id', requestId)
    ctx.logger = logger.child({ requestId })

    return next()
  }
}
