/**
 * The shape of a statement without its values, so that the same query with
 * other bindings falls into the same group: string and number literals and
 * bind placeholders (`?`, `$1`) become `?`, an IN list of any length becomes
 * `in (...)`, a multi-row VALUES becomes its first row followed by `...`, and runs of whitespace
 * become one space. Quoted identifiers are left alone.
 */
export function normalizeSql(sql: string): string {
  const parts: string[] = []
  let plain = ''
  let index = 0
  while (index < sql.length) {
    const char = sql[index]
    if (char === "'") {
      const end = endOfQuoted(sql, index, "'")
      parts.push(normalizePlain(plain), '?')
      plain = ''
      index = end
    } else if (char === '"' || char === '`') {
      const end = endOfQuoted(sql, index, char)
      plain += sql.slice(index, end)
      index = end
    } else {
      plain += char
      index++
    }
  }
  parts.push(normalizePlain(plain))
  return collapseLists(parts.join(''))
    .replace(/\s+/g, ' ')
    .replace(/\s*;\s*$/, '')
    .trim()
}

/**
 * The index just past a quoted run that starts at `start`; a doubled quote
 * inside it is an escaped quote.
 */
function endOfQuoted(sql: string, start: number, quote: string) {
  let index = start + 1
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote) {
        index += 2
        continue
      }
      return index + 1
    }
    index++
  }
  return sql.length
}

/**
 * Outside quotes: `$1`-style placeholders and number literals become `?`.
 * A digit that belongs to an identifier (`t1`, `table_2`) is kept, and so is
 * one inside a quoted identifier, which never reaches this function.
 */
function normalizePlain(text: string) {
  return text.replace(/\$\d+/g, '?').replace(/(?<![\w$.])-?\d+(?:\.\d+)?(?![\w.])/g, '?')
}

/**
 * `in (?, ?, ?)` → `in (...)` and `values (?, ?), (?, ?)` → `values (?, ?), ...`.
 */
function collapseLists(sql: string) {
  return sql
    .replace(/\b(in)\s*\(\s*\?(?:\s*,\s*\?)*\s*\)/gi, '$1 (...)')
    .replace(/(\(\s*\?(?:\s*,\s*\?)*\s*\))(?:\s*,\s*\(\s*\?(?:\s*,\s*\?)*\s*\))+/g, '$1, ...')
}
