import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#exceptions/domain_error'
import { errorReason } from '#exceptions/error_reasons'

const NUL_CHARACTER_RULE = 'nulCharacter'

/**
 * A request whose query string or body holds U+0000 anywhere is refused as
 * a validation error naming the fields, before any route reads it.
 * PostgreSQL cannot store that character in text or jsonb and fails the
 * statement (a 500 where the input was at fault), while SQLite would keep
 * it; no field of ours has a use for it. One check here covers every route,
 * the API, the web forms and the ones added later.
 */
export default class RefuseNulCharactersMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const fields = [...fieldsWithNul(ctx.request.qs()), ...fieldsWithNul(ctx.request.body())]
    if (fields.length > 0) {
      const message = errorReason('nul_character')
      throw new DomainError('VALIDATION_ERROR', {
        fields: fields.map((field) => ({ field, rule: NUL_CHARACTER_RULE, message })),
      })
    }
    return next()
  }
}

const NUL = '\u0000'

/**
 * The paths (`title`, `items.0.note`) of the strings, and of the keys, that
 * hold U+0000, walked without recursion: a parsed body may nest deeper than
 * the call stack. A key's NUL is shown escaped, so the answer holds none.
 */
export function fieldsWithNul(input: unknown): string[] {
  const found: string[] = []
  const pending: Array<{ value: unknown; path: string }> = [{ value: input, path: '' }]
  while (pending.length > 0) {
    const { value, path } = pending.pop()!
    if (typeof value === 'string') {
      if (value.includes(NUL)) {
        found.push(path)
      }
      continue
    }
    if (value === null || typeof value !== 'object') {
      continue
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`
      if (key.includes(NUL)) {
        found.push(childPath.replaceAll(NUL, '\\u0000'))
        continue
      }
      pending.push({ value: child, path: childPath })
    }
  }
  return found.sort()
}
