import { SmokeFailure } from '#services/smoke/smoke_failure'

export type SmokeResponse = {
  method: string
  path: string
  status: number
  headers: Headers
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown
  /** The request id this request was sent with. */
  sentRequestId: string
  /** The request id the server reported, else the one sent. */
  requestId: string
}

export type SmokeRequest = {
  token?: string
  json?: unknown
  /** Sent as is with a JSON content type, for the malformed-body case. */
  rawBody?: string
  headers?: Record<string, string>
}

/**
 * The smoke run's only way to talk to the server: fetch, nothing else, so
 * it works against any deployed instance. Every request carries its own
 * X-Request-Id, which makes each one findable in the server log.
 */
export class SmokeHttp {
  #sequence = 0
  lastResponse?: SmokeResponse

  constructor(
    readonly baseUrl: string,
    readonly runId: string,
    readonly timeoutMs: number
  ) {}

  async request(method: string, path: string, options: SmokeRequest = {}): Promise<SmokeResponse> {
    this.#sequence += 1
    const sentRequestId = `smoke-${this.runId}-${String(this.#sequence).padStart(3, '0')}`
    const headers: Record<string, string> = {
      'accept': 'application/json',
      'x-request-id': sentRequestId,
      ...options.headers,
    }
    if (options.token) {
      headers.authorization = `Bearer ${options.token}`
    }
    let body: string | undefined
    if (options.rawBody !== undefined || options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = options.rawBody ?? JSON.stringify(options.json)
    }

    const url = `${this.baseUrl}${path}`
    let status: number
    let responseHeaders: Headers
    let text: string
    try {
      const response = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      status = response.status
      responseHeaders = response.headers
      text = await response.text()
    } catch (error) {
      throw networkFailure(method, url, this.timeoutMs, error)
    }

    const parsed = parseJson(text)
    this.lastResponse = {
      method,
      path,
      status,
      headers: responseHeaders,
      body: parsed,
      sentRequestId,
      requestId: reportedRequestId(parsed, responseHeaders) ?? sentRequestId,
    }
    return this.lastResponse
  }
}

function parseJson(text: string): unknown {
  if (text === '') {
    return null
  }
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * The header first: a replayed body carries the first request's id.
 */
function reportedRequestId(body: unknown, headers: Headers): string | undefined {
  const fromHeader = headers.get('x-request-id')
  if (fromHeader) {
    return fromHeader
  }
  if (body && typeof body === 'object') {
    const envelope = body as { requestId?: unknown; error?: { requestId?: unknown } }
    const fromBody = envelope.error?.requestId ?? envelope.requestId
    if (typeof fromBody === 'string' && fromBody !== '') {
      return fromBody
    }
  }
  return undefined
}

function networkFailure(method: string, url: string, timeoutMs: number, error: unknown) {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new SmokeFailure(
      `${method} ${url} got no answer within ${timeoutMs} ms`,
      undefined,
      'timeout'
    )
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const reason = cause?.code ?? cause?.message ?? (error as Error).message
  return new SmokeFailure(`cannot reach ${url} (${reason})`, undefined, 'unreachable')
}
