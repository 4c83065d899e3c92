import { prettyPrintError } from '@adonisjs/core'
import { errors } from '@adonisjs/core/env'

/**
 * A missing or malformed variable stops the process with one line
 * (DESIGN.md §9): the framework prints it under a stack and a code frame of
 * start/env.ts, where an operator has to hunt for the variable's name. Any
 * other failure to boot is printed as the framework prints it. The line
 * names each variable but never its value, which may hold a password (a
 * REDIS_URL's) and would land in a deploy log.
 */
export function printBootError(error: unknown) {
  process.exitCode = 1
  if (error instanceof errors.E_INVALID_ENV_VARIABLES) {
    const problems = error.help
      .split('\n')
      .map((line) => withoutValue(line.replace(/^- /, '')))
      .join('; ')
    process.stderr.write(`Invalid environment: ${problems}\n`)
    return
  }
  return prettyPrintError(error)
}

function withoutValue(problem: string) {
  return problem.replace(/,? instead received .*$/, '').replace(/ \(Current value: .*\)$/, '')
}
