import { Exception } from '@adonisjs/core/exceptions'
import { ERROR_CATALOGUE, type ErrorCode } from '#exceptions/error_catalogue'
import { conflictMessage } from '#exceptions/error_reasons'

/** The records whose statuses a transition moves. */
export type RecordKind = 'offer' | 'application' | 'invite' | 'deal' | 'payout'

export type FieldError = { field: string; rule: string; message: string }

/**
 * The one exception type for every expected failure. The exception handler
 * turns it into the error envelope; the status comes from the catalogue.
 */
export class DomainError extends Exception {
  readonly errorCode: ErrorCode
  readonly fields?: FieldError[]
  readonly headers?: Record<string, string>
  /**
   * A refused transition's reason without the raw status, for pages that
   * show statuses only through their labels.
   */
  reason?: string
  /**
   * The record a transition was refused on, as it is now: a page names its
   * status by its label when no more specific reason was given.
   */
  current?: { kind: RecordKind; status: string }

  constructor(
    code: ErrorCode,
    options: { message?: string; fields?: FieldError[]; headers?: Record<string, string> } = {}
  ) {
    const entry = ERROR_CATALOGUE[code]
    super(options.message ?? entry.message, { status: entry.status, code })
    this.errorCode = code
    this.fields = options.fields
    this.headers = options.headers
  }

  /**
   * A transition refused because the record is not in the expected state;
   * `kind` names the record when the caller knows it.
   */
  static conflict(currentStatus: string, reason?: string, kind?: RecordKind) {
    const error = new DomainError('CONFLICT', { message: conflictMessage(currentStatus, reason) })
    error.current = kind ? { kind, status: currentStatus } : undefined
    error.reason = reason ?? (kind ? undefined : ERROR_CATALOGUE.CONFLICT.message)
    return error
  }
}
