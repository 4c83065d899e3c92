import { GrammyError, HttpError } from 'grammy'
import telegramConfig from '#config/telegram'
import { redactBotToken } from '#services/telegram/telegram_bot'

/**
 * What happened to one delivery: decided before any request (no active
 * binding, notification too old), or the answer to its sendMessage.
 */
export type SendResult =
  | { kind: 'not_bound' }
  | { kind: 'too_old' }
  | { kind: 'no_template' }
  | { kind: 'sent'; messageId: number }
  | { kind: 'error'; error: unknown }

export type DeliveryCounter =
  | 'sent'
  | 'skipped_not_bound'
  | 'skipped_too_old'
  | 'skipped_blocked'
  | 'failed_chat_not_found'
  | 'failed_bad_request'
  | 'failed_no_template'
  | 'retried_rate_limited'
  | 'retried'
  | 'dead'
  | 'interrupted'

export type DeliveryCounters = Record<DeliveryCounter, number>

export function emptyDeliveryCounters(): DeliveryCounters {
  return {
    sent: 0,
    skipped_not_bound: 0,
    skipped_too_old: 0,
    skipped_blocked: 0,
    failed_chat_not_found: 0,
    failed_bad_request: 0,
    failed_no_template: 0,
    retried_rate_limited: 0,
    retried: 0,
    dead: 0,
    interrupted: 0,
  }
}

export type DeliveryDecision = {
  status: 'sent' | 'skipped' | 'failed' | 'pending' | 'dead'
  counter: DeliveryCounter
  lastError: string | null
  messageId: number | null
  /** The user's binding to this chat becomes `inactive`. */
  deactivateBinding: boolean
  /** For `pending`: when to try again, from now. */
  retryInMs: number | null
  /** Keep this chat quiet for as long (Telegram asked us to wait). */
  pauseChatMs: number | null
}

/**
 * Last error of a delivery still `sending` after its lease: the worker died
 * between the request and the record of its answer. It is never resent.
 */
export const INTERRUPTED = 'interrupted'

type DeliverySettings = Pick<
  typeof telegramConfig.delivery,
  'maxAttempts' | 'backoffBaseMs' | 'backoffCapMs'
>

const settled = {
  messageId: null,
  deactivateBinding: false,
  retryInMs: null,
  pauseChatMs: null,
}

/**
 * The delivery policy (docs/WORKERS.md): one place that turns a send
 * result into the delivery's next status. `attempts` counts this attempt.
 *
 * | result                                   | status              | binding  |
 * |------------------------------------------|---------------------|----------|
 * | sent                                     | sent                |          |
 * | no active binding (no request made)      | skipped not_bound   |          |
 * | notification too old (no request made)   | skipped too_old     |          |
 * | type without a template (no request)     | failed no_template  |          |
 * | 403 (blocked, deactivated, …)            | skipped             | inactive |
 * | 400 chat not found                       | failed              | inactive |
 * | other 4xx (not 401/429)                  | failed, description |          |
 * | 429 (chat paused as long)                | pending after retry_after, else backoff | |
 * | 5xx, 401, non-JSON, reset, timeout, …    | pending, backoff    |          |
 * | any retry with no attempts left          | dead                |          |
 */
export function decideDelivery(
  result: SendResult,
  attempts: number,
  settings: DeliverySettings = telegramConfig.delivery,
  random = Math.random
): DeliveryDecision {
  if (result.kind === 'sent') {
    return {
      ...settled,
      status: 'sent',
      counter: 'sent',
      lastError: null,
      messageId: result.messageId,
    }
  }
  if (result.kind === 'not_bound') {
    return { ...settled, status: 'skipped', counter: 'skipped_not_bound', lastError: 'not_bound' }
  }
  if (result.kind === 'too_old') {
    return { ...settled, status: 'skipped', counter: 'skipped_too_old', lastError: 'too_old' }
  }
  if (result.kind === 'no_template') {
    return { ...settled, status: 'failed', counter: 'failed_no_template', lastError: 'no_template' }
  }

  const { error } = result
  const lastError = describeSendError(error)
  if (error instanceof GrammyError) {
    if (error.error_code === 403) {
      return {
        ...settled,
        status: 'skipped',
        counter: 'skipped_blocked',
        lastError,
        deactivateBinding: true,
      }
    }
    if (error.error_code === 400 && /chat not found/i.test(error.description)) {
      return {
        ...settled,
        status: 'failed',
        counter: 'failed_chat_not_found',
        lastError,
        deactivateBinding: true,
      }
    }
    if (error.error_code === 429) {
      // Telegram says how long to wait; when it does not, back off as for a 5xx.
      const retryAfter = Number(error.parameters.retry_after)
      const waitMs =
        Number.isFinite(retryAfter) && retryAfter >= 0
          ? Math.ceil(retryAfter * 1000)
          : backoffMs(attempts, settings, random)
      return retryOrDead(attempts, settings, lastError, 'retried_rate_limited', waitMs, waitMs)
    }
    if (error.error_code >= 400 && error.error_code < 500 && error.error_code !== 401) {
      return { ...settled, status: 'failed', counter: 'failed_bad_request', lastError }
    }
  }
  return retryOrDead(
    attempts,
    settings,
    lastError,
    'retried',
    backoffMs(attempts, settings, random),
    null
  )
}

function retryOrDead(
  attempts: number,
  settings: DeliverySettings,
  lastError: string,
  counter: DeliveryCounter,
  retryInMs: number,
  pauseChatMs: number | null
): DeliveryDecision {
  if (attempts >= settings.maxAttempts) {
    // A chat paused by a 429 stays paused though this delivery is given up.
    return { ...settled, status: 'dead', counter: 'dead', lastError, pauseChatMs }
  }
  return { ...settled, status: 'pending', counter, lastError, retryInMs, pauseChatMs }
}

/**
 * Delay before the attempt after `attempts`: base × 2^(attempts − 1),
 * capped, then jittered into [delay/2, delay] so failed deliveries do not
 * retry in step.
 */
export function backoffMs(attempts: number, settings: DeliverySettings, random = Math.random) {
  const delay = Math.min(
    settings.backoffCapMs,
    settings.backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30)
  )
  return Math.round(delay / 2 + random() * (delay / 2))
}

/**
 * A send failure as stored in last_error: Telegram's code and description,
 * or the network cause — never the token grammY puts in its URLs.
 */
export function describeSendError(error: unknown): string {
  let text: string
  if (error instanceof GrammyError) {
    text = `${error.error_code}: ${error.description}`
  } else if (error instanceof HttpError) {
    const cause = error.error instanceof Error ? error.error.message : String(error.error)
    text = `network: ${cause}`
  } else {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  }
  return redactBotToken(text).slice(0, 1000)
}
