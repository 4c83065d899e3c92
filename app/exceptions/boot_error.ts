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
    const problems = withoutValues(error.help)
      .split('\n')
      .map((line) => line.replace(/^- /, ''))
      .join('; ')
    process.stderr.write(`Invalid environment: ${problems}\n`)
    return
  }
  return prettyPrintError(error)
}

/**
 * The problems with each quoted value cut out, up to where the next problem
 * starts: a value may hold line breaks of its own.
 */
function withoutValues(help: string) {
  return help
    .replace(/,? instead received [\s\S]*?(?=\n- |$)/g, '')
    .replace(/ \(Current value: [\s\S]*?\)(?=\n- |$)/g, '')
}
