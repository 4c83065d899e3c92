import type { HttpContext } from '@adonisjs/core/http'
import { ERROR_CATALOGUE, type ErrorCode } from '#exceptions/error_catalogue'
import type { FieldError } from '#exceptions/domain_error'

/**
 * The only place that writes a response body with a chosen status
 * (DESIGN.md §3; tests/unit/response_writes.spec.ts keeps it so). API
 * controllers return `ok(ctx, data)`; the exception handler calls `fail`
 * for /api URLs and `htmlPage` for the web's error page.
 */
export function requestIdOf(ctx: HttpContext): string {
  return ctx.request.id() ?? ''
}

export function ok(ctx: HttpContext, data: unknown, status: 200 | 201 = 200) {
  ctx.response.status(status).json({ ok: true, data, requestId: requestIdOf(ctx) })
}

export function created(ctx: HttpContext, data: unknown) {
  ok(ctx, data, 201)
}

export type ErrorBody = {
  ok: false
  error: {
    code: ErrorCode
    message: string
    requestId: string
    retryable: boolean
    fields?: FieldError[]
  }
}

export function errorBody(
  ctx: HttpContext,
  code: ErrorCode,
  message?: string,
  fields?: FieldError[]
): ErrorBody {
  const entry = ERROR_CATALOGUE[code]
  return {
    ok: false,
    error: {
      code,
      message: message ?? entry.message,
      requestId: requestIdOf(ctx),
      retryable: entry.retryable,
      ...(fields ? { fields } : {}),
    },
  }
}

export function fail(
  ctx: HttpContext,
  code: ErrorCode,
  options: { message?: string; fields?: FieldError[]; headers?: Record<string, string> } = {}
) {
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    ctx.response.header(name, value)
  }
  ctx.response
    .status(ERROR_CATALOGUE[code].status)
    .json(errorBody(ctx, code, options.message, options.fields))
}

/**
 * 503 for /api/health: the error envelope, plus the report in `data` so an
 * operator sees which check failed.
 */
export function unavailable(ctx: HttpContext, data: unknown) {
  ctx.response
    .status(503)
    .json({ ...errorBody(ctx, 'SERVICE_UNAVAILABLE'), data, requestId: requestIdOf(ctx) })
}

/**
 * Sends a stored response again, as it was first sent (Idempotency-Key).
 */
export function replay(ctx: HttpContext, status: number, body: unknown) {
  ctx.response.header('Idempotent-Replayed', 'true')
  ctx.response.status(status).json(body)
}

/**
 * A list page: `items` plus the paging figures. `totalIsExact` is false when
 * `total` is a lower bound (see TOTAL_LOOKAHEAD in app/services/pagination.ts).
 */
export function pageOf<T>(
  items: T[],
  page: number | null,
  perPage: number,
  total: number,
  totalIsExact = true,
  nextAfter: number | null = null
) {
  return { items, page, perPage, total, totalIsExact, nextAfter }
}

/**
 * A web error page: HTML with the error's status. Never an /api answer:
 * the exception handler sends those through `fail`.
 */
export function htmlPage(ctx: HttpContext, status: number, html: string) {
  ctx.response.status(status)
  ctx.response.header('Content-Type', 'text/html; charset=utf-8')
  ctx.response.send(html)
}
