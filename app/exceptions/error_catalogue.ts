/**
 * The closed catalogue of API error codes (DESIGN.md §3). The code is the
 * machine contract; the message is what an end user reads, in Russian.
 * docs/API.md renders the same table, and a test keeps the two equal.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_ERROR: {
    status: 422,
    retryable: false,
    message: 'Проверьте введённые данные',
    meaning: 'The body or query failed validation; `fields` lists every invalid field.',
  },
  BAD_REQUEST: {
    status: 400,
    retryable: false,
    message: 'Запрос не удалось разобрать',
    meaning: 'The body is not well-formed JSON (or another undecodable body).',
  },
  UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    message: 'Войдите в систему',
    meaning: 'No credentials were sent, or login credentials are wrong.',
  },
  SESSION_INVALID: {
    status: 401,
    retryable: false,
    message: 'Сессия устарела, войдите снова',
    meaning: 'The cookie or token points to a session, token or user that no longer exists.',
  },
  FORBIDDEN: {
    status: 403,
    retryable: false,
    message: 'Недостаточно прав',
    meaning: 'Authenticated, but the role may not do this, or the account is blocked.',
  },
  NOT_FOUND: {
    status: 404,
    retryable: false,
    message: 'Не найдено',
    meaning: 'No such route, or no such record visible to the caller.',
  },
  CONFLICT: {
    status: 409,
    retryable: false,
    message: 'Действие сейчас невозможно',
    meaning: 'The state does not allow this now (illegal transition, duplicate).',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    retryable: false,
    message: 'Ключ идемпотентности уже использован с другим запросом',
    meaning: 'The Idempotency-Key was used before with a different body.',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    retryable: true,
    message: 'Такой же запрос ещё выполняется',
    meaning: 'A request with the same Idempotency-Key is still running.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    retryable: false,
    message: 'Слишком большой запрос',
    meaning: 'The body exceeds the size limit.',
  },
  RATE_LIMITED: {
    status: 429,
    retryable: true,
    message: 'Слишком много попыток, попробуйте позже',
    meaning: 'Too many requests; `Retry-After` says how many seconds to wait.',
  },
  INTERNAL: {
    status: 500,
    retryable: true,
    message: 'Внутренняя ошибка, мы уже разбираемся',
    meaning: 'Unexpected failure; details are only in the server log under the requestId.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    message: 'Сервис временно недоступен',
    meaning:
      'A dependency (the database, Redis) cannot be reached right now; retry after Retry-After. /api/health also says which check failed.',
  },
} as const satisfies Record<
  string,
  { status: number; retryable: boolean; message: string; meaning: string }
>

export type ErrorCode = keyof typeof ERROR_CATALOGUE
