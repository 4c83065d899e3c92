import type { Kernel } from '@adonisjs/core/ace'
import { describeForLog } from '#exceptions/api_error'

type AceErrorHandler = Kernel['errorHandler']

/**
 * Ace prints an error no command caught whole, message and stack. A
 * database error's message is the failing statement with its values filled
 * in, so `user:create` failing on its insert printed the e-mail, the name
 * and the password hash it was given. Such errors reach Ace's own handler
 * as `describeForLog` keeps them (the statement cut, e-mails masked); any
 * other error reaches it unchanged.
 */
export function scrubbedAceErrors(handler: AceErrorHandler): AceErrorHandler {
  return {
    render(error, kernel) {
      return handler.render(scrubbed(error), kernel)
    },
  }
}

function scrubbed(error: unknown) {
  if (!(error instanceof Error)) {
    return error
  }
  const described = describeForLog(error)
  if (described.message === error.message && described.stack === error.stack) {
    return error
  }
  const copy = new Error(described.message)
  copy.name = error.name
  copy.stack = described.stack
  return copy
}
