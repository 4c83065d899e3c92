import type { SmokeResponse } from '#services/smoke/smoke_http'

export type SmokeFailureKind = 'unreachable' | 'timeout' | 'unexpected_response'

/**
 * Why the smoke run stopped: the step, what was expected, and the response
 * that broke it (status, body, requestId) so that the server log can be
 * searched for the same request.
 */
export class SmokeFailure extends Error {
  step = ''

  constructor(
    message: string,
    readonly response?: SmokeResponse,
    readonly kind: SmokeFailureKind = 'unexpected_response'
  ) {
    super(message)
  }

  /**
   * Any other error thrown inside a step (say, a field missing from a body
   * the code then reads) becomes a failure about the last response seen.
   */
  static from(error: unknown, lastResponse?: SmokeResponse): SmokeFailure {
    if (error instanceof SmokeFailure) {
      return error
    }
    const message = error instanceof Error ? error.message : String(error)
    return new SmokeFailure(`unexpected response shape: ${message}`, lastResponse)
  }
}

export type FailureReport = {
  step: string
  kind: SmokeFailureKind | 'usage'
  message: string
  request: string | null
  status: number | null
  requestId: string | null
  body: unknown
}

export function failureReport(failure: SmokeFailure): FailureReport {
  const response = failure.response
  return {
    step: failure.step,
    kind: failure.kind,
    message: failure.message,
    request: response ? `${response.method} ${response.path}` : null,
    status: response?.status ?? null,
    requestId: response?.requestId ?? null,
    body: withoutSecrets(response?.body ?? null),
  }
}

const SECRET_KEYS = new Set(['token', 'password', 'deepLink', 'email'])

/**
 * A failing body is printed, and CI keeps the output, so credentials (an API
 * token, a Telegram binding code) and e-mail addresses are masked first;
 * error codes stay readable.
 */
function withoutSecrets(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
      const isBindingCode = key === 'code' && 'expiresAt' in this
      return SECRET_KEYS.has(key) || isBindingCode ? '[redacted]' : value
    })
  )
}
