import { prettyPrintError } from '@adonisjs/core'
import { errors } from '@adonisjs/core/env'

/**
 * A missing or malformed variable stops the process with one line
 * (DESIGN.md §9): the framework prints it under a stack and a code frame of
 * start/env.ts, where an operator has to hunt for the variable's name. Any
 * other failure to boot is printed as the framework prints it.
 */
export function printBootError(error: unknown) {
  process.exitCode = 1
  if (error instanceof errors.E_INVALID_ENV_VARIABLES) {
    const problems = error.help
      .split('\n')
      .map((line) => line.replace(/^- /, ''))
      .join('; ')
    process.stderr.write(`Invalid environment: ${problems}\n`)
    return
  }
  return prettyPrintError(error)
}
