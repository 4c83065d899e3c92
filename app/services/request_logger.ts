import { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'

/**
 * The logger of the request this code runs for, whose lines carry its
 * request id, or the application's logger outside any request. For code
 * that serves both: the Telegram bot's handlers run inside the webhook's
 * request, or in the polling loop with no request at all.
 */
export function requestLogger() {
  return HttpContext.get()?.logger ?? logger
}
