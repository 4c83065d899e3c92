import { SmokeFailure } from '#services/smoke/smoke_failure'
import type { SmokeResponse } from '#services/smoke/smoke_http'

export type Json = Record<string, unknown>

export type ApiRecord = Json & { id: number }

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The success envelope with the expected status; returns `data`.
 */
export function expectSuccess(response: SmokeResponse, status: 200 | 201): Json {
  if (response.status !== status) {
    throw new SmokeFailure(`expected ${status}, got ${describeStatus(response)}`, response)
  }
  const body = response.body
  if (!isJsonObject(body) || body.ok !== true || !isJsonObject(body.data)) {
    throw new SmokeFailure('expected the envelope { ok: true, data, requestId }', response)
  }
  expectEchoedRequestId(response, body.requestId)
  return body.data
}

/**
 * The error envelope with the catalogue's status and code; returns `error`.
 */
export function expectError(response: SmokeResponse, status: number, code: string): Json {
  if (response.status !== status || errorCodeOf(response) !== code) {
    throw new SmokeFailure(`expected ${status} ${code}, got ${describeStatus(response)}`, response)
  }
  const error = (response.body as { error: Json }).error
  if (typeof error.message !== 'string' || error.message === '') {
    throw new SmokeFailure('the error has no message', response)
  }
  if (typeof error.retryable !== 'boolean') {
    throw new SmokeFailure('the error has no boolean retryable', response)
  }
  expectEchoedRequestId(response, error.requestId)
  return error
}

/**
 * `data[key]` as a record with an id, and with the given status if one is
 * expected.
 */
export function recordIn(
  response: SmokeResponse,
  data: Json,
  key: string,
  status?: string
): ApiRecord {
  const record = data[key]
  if (!isJsonObject(record) || !Number.isInteger(record.id)) {
    throw new SmokeFailure(`expected data.${key} with an integer id`, response)
  }
  if (status !== undefined && record.status !== status) {
    throw new SmokeFailure(
      `expected ${key} status "${status}", got "${String(record.status)}"`,
      response
    )
  }
  return record as ApiRecord
}

/**
 * `data[key]` as a non-negative integer (money and counts are integers).
 */
export function integerIn(response: SmokeResponse, data: Json, key: string): number {
  const value = data[key]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SmokeFailure(`expected data.${key} to be a non-negative integer`, response)
  }
  return value
}

export function errorCodeOf(response: SmokeResponse): string | undefined {
  const body = response.body
  if (isJsonObject(body) && isJsonObject(body.error) && typeof body.error.code === 'string') {
    return body.error.code
  }
  return undefined
}

function describeStatus(response: SmokeResponse) {
  const code = errorCodeOf(response)
  return code ? `${response.status} ${code}` : String(response.status)
}

/**
 * The server must echo the X-Request-Id it was sent, in the header and in
 * the body, or its logs cannot be matched with this run.
 */
function expectEchoedRequestId(response: SmokeResponse, bodyRequestId: unknown) {
  if (response.headers.get('x-request-id') !== response.sentRequestId) {
    throw new SmokeFailure(
      `the X-Request-Id header does not echo the one sent (${response.sentRequestId})`,
      response
    )
  }
  if (bodyRequestId !== response.sentRequestId) {
    throw new SmokeFailure(
      `the body's requestId does not echo the one sent (${response.sentRequestId})`,
      response
    )
  }
}
