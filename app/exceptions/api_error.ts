import { errors as vineErrors } from '@vinejs/vine'
import { DomainError, type FieldError } from '#exceptions/domain_error'
import type { ErrorCode } from '#exceptions/error_catalogue'
import { errorReason } from '#exceptions/error_reasons'

export type ApiError = {
  code: ErrorCode
  message?: string
  fields?: FieldError[]
  headers?: Record<string, string>
}

const UNIQUE_VIOLATIONS = new Set([
  '23505',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
])
const FOREIGN_KEY_VIOLATIONS = new Set(['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY'])
const CHECK_VIOLATIONS = new Set(['23514', 'SQLITE_CONSTRAINT_CHECK'])

/**
 * A dependency that cannot be reached right now (the database, Redis), as
 * each driver says it: a refused, reset or timed-out connection, a server
 * shutting down or starting, a pool with no free connection, a file the
 * database cannot open, a Redis client out of retries. Not the request's
 * fault, and worth retrying: 503 with Retry-After, not a 500.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
])
const UNAVAILABLE_NAMES = new Set(['KnexTimeoutError', 'MaxRetriesPerRequestError'])
const UNAVAILABLE_MESSAGES = new Set([
  'Connection is closed.',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'Cannot open database because the directory does not exist',
])
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5

function isDependencyDown(error: unknown) {
  const { code, name, message } = (error ?? {}) as {
    code?: unknown
    name?: unknown
    message?: unknown
  }
  return (
    UNAVAILABLE_CODES.has(String(code)) ||
    UNAVAILABLE_NAMES.has(String(name)) ||
    UNAVAILABLE_MESSAGES.has(String(message))
  )
}

export function isForeignKeyViolation(error: unknown) {
  return FOREIGN_KEY_VIOLATIONS.has(String((error as { code?: unknown })?.code))
}

/**
 * Maps anything thrown while serving a request to a catalogue code.
 * Unknown errors become INTERNAL: the caller learns nothing about them.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof DomainError) {
    return {
      code: error.errorCode,
      message: error.message,
      fields: error.fields,
      headers: error.headers,
    }
  }
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    const messages = error.messages as Array<{ field: string; rule: string; message: string }>
    return {
      code: 'VALIDATION_ERROR',
      fields: messages.map(({ field, rule, message }) => ({ field, rule, message })),
    }
  }

  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown }
  switch (code) {
    case 'E_ROUTE_NOT_FOUND':
    case 'E_ROW_NOT_FOUND':
      return { code: 'NOT_FOUND' }
    case 'E_REQUEST_ENTITY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE' }
    case 'E_INVALID_CREDENTIALS':
      return { code: 'UNAUTHENTICATED', message: errorReason('wrong_credentials') }
    case 'E_UNAUTHORIZED_ACCESS':
      return { code: 'UNAUTHENTICATED' }
    case 'E_TOO_MANY_REQUESTS':
      return { code: 'RATE_LIMITED', headers: retryAfterHeader(error) }
    case 'E_BAD_CSRF_TOKEN':
      return { code: 'FORBIDDEN' }
    case 'E_AUTHORIZATION_FAILURE':
      // A policy's own status is on the response it denied with; the
      // exception's status is always 403.
      return {
        code:
          (error as { response?: { status?: number } }).response?.status === 404
            ? 'NOT_FOUND'
            : 'FORBIDDEN',
      }
  }
  if (UNIQUE_VIOLATIONS.has(String(code)) || CHECK_VIOLATIONS.has(String(code))) {
    return { code: 'CONFLICT' }
  }
  if (FOREIGN_KEY_VIOLATIONS.has(String(code))) {
    return { code: 'NOT_FOUND' }
  }
  if (isDependencyDown(error)) {
    return {
      code: 'SERVICE_UNAVAILABLE',
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    }
  }
  if (status === 413) {
    return { code: 'PAYLOAD_TOO_LARGE' }
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { code: 'BAD_REQUEST' }
  }
  return { code: 'INTERNAL' }
}

function retryAfterHeader(error: unknown): Record<string, string> {
  const availableIn = (error as { response?: { availableIn?: number } }).response?.availableIn
  return { 'Retry-After': String(Math.max(1, Math.ceil(availableIn ?? 60))) }
}

/**
 * What may be logged about an unexpected error: its class, code and stack.
 * Database drivers prefix their message with the failing SQL, which can
 * quote row values (e-mails, password hashes): that prefix is cut, and so
 * is the driver's `detail`, and anything shaped like an e-mail is masked.
 */
export function describeForLog(error: unknown) {
  const err = (error ?? {}) as { name?: string; code?: unknown; message?: string; stack?: string }
  const message = withoutSql(err.message ?? '')
  const stack = err.stack?.replace(err.message ?? '', message)
  return {
    name: err.name,
    code: typeof err.code === 'string' ? err.code : undefined,
    message: maskEmails(message),
    stack: stack ? maskEmails(stack) : undefined,
  }
}

const SQL_PREFIX = /^\s*(insert|select|update|delete|with|create|alter|drop|truncate|pragma)\b/i

function withoutSql(message: string) {
  if (!SQL_PREFIX.test(message)) {
    return message
  }
  const separator = message.lastIndexOf(' - ')
  return separator === -1 ? '[sql statement]' : `[sql statement] - ${message.slice(separator + 3)}`
}

function maskEmails(text: string) {
  return text.replace(/[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi, '[email]')
}
