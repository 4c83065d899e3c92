import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'

type Unstorable = { field: string; rule: 'nulCharacter' | 'unpairedSurrogate' }

/**
 * A request whose query string or body holds a character the databases
 * cannot keep as sent is refused as a validation error naming the fields,
 * before any route reads it. U+0000: PostgreSQL cannot store it in text or
 * jsonb and fails the statement (a 500 where the input was at fault), while
 * SQLite would keep it. A lone UTF-16 surrogate (`"\ud800"` in JSON): both
 * store U+FFFD instead, so the answer would echo one text and the database
 * hold another. No field of ours has a use for either. One check here
 * covers every route, the API, the web forms and the ones added later.
 */
export default class RefuseUnstorableCharactersMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const found = [...unstorableFields(ctx.request.qs()), ...unstorableFields(ctx.request.body())]
    if (found.length > 0) {
      throw new DomainError('VALIDATION_ERROR', {
        fields: found.map(({ field, rule }) => ({ field, rule, message: messageOf(rule) })),
      })
    }
    return next()
  }
}

function messageOf(rule: Unstorable['rule']) {
  return errorReason(rule === 'nulCharacter' ? 'nul_character' : 'unpaired_surrogate')
}

const NUL = '\u0000'

function ruleBroken(text: string): Unstorable['rule'] | null {
  if (text.includes(NUL)) {
    return 'nulCharacter'
  }
  return text.isWellFormed() ? null : 'unpairedSurrogate'
}

/**
 * The paths (`title`, `items.0.note`) of the strings, and of the keys, that
 * hold such a character, walked without recursion: a parsed body may nest
 * deeper than the call stack. A key's NUL is shown escaped, so the answer
 * holds none.
 */
export function unstorableFields(input: unknown): Unstorable[] {
  const found: Unstorable[] = []
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }]
  while (pending.length > 0) {
    const { value, path } = pending.pop()!
    if (typeof value === 'string') {
      const rule = ruleBroken(value)
      if (rule) {
        found.push({ field: path, rule })
      }
      continue
    }
    if (value === null || typeof value !== 'object') {
      continue
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`
      const rule = ruleBroken(key)
      if (rule) {
        found.push({ field: childPath.replaceAll(NUL, '\\u0000'), rule })
        continue
      }
      pending.push({ value: child, path: childPath })
    }
  }
  return found.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
}
