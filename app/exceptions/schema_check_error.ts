import { Exception } from '@adonisjs/core/exceptions'

/**
 * An expected failure of db:drift or db:deploy (database unreachable, a
 * migration that fails, a scratch database that cannot be made). Its message
 * is one line an operator can act on; the commands print it without a stack.
 */
export class SchemaCheckError extends Exception {
  static code = 'E_SCHEMA_CHECK'

  /**
   * `<what failed>: <the first line of why>`.
   */
  static because(what: string, cause: unknown) {
    return new SchemaCheckError(`${what}: ${reasonOf(cause)}`, { cause })
  }
}

/**
 * The first line of an error's message. A connection refused on every
 * address of a host name arrives as an AggregateError with no message of its
 * own; its first inner error says what happened.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) {
    return reasonOf(error.errors[0])
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    const text = error.message || (typeof code === 'string' ? code : error.name)
    return text.split('\n')[0].trim()
  }
  return String(error)
}
