import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'

/**
 * A body sent compressed (`Content-Encoding: gzip`, `deflate`, `br`) is
 * refused before the body parser sees it. The parser inflates such a body
 * and lets a corrupt one fail as an unexpected error, a 500 for bad input;
 * no client of ours compresses what it sends, so none is accepted.
 */
export default class RefuseEncodedBodiesMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const encoding = (ctx.request.header('content-encoding') ?? '').trim().toLowerCase()
    if (encoding !== '' && encoding !== 'identity' && ctx.request.hasBody()) {
      throw new DomainError('BAD_REQUEST', { message: errorReason('encoded_body') })
    }
    return next()
  }
}
