import type { CheckSchema } from '#services/schema/schema_snapshot'
import {
  closingParenthesis,
  isWord,
  nextSolidIndex,
  normalizeSql,
  splitTopLevel,
  tokenizeSql,
  type SqlToken,
} from '#services/schema/sql_tokens'

/**
 * SQLite has no catalogue of CHECK constraints: they live only in the
 * CREATE TABLE text it keeps in sqlite_master, table-level and column-level
 * alike.
 */
export function checksOfCreateTable(createTableSql: string): CheckSchema[] {
  const tokens = tokenizeSql(createTableSql)
  const open = tokens.findIndex((token) => token.kind === 'symbol' && token.text === '(')
  if (open === -1) {
    return []
  }
  const body = tokens.slice(open + 1, closingParenthesis(tokens, open))
  return splitTopLevel(body, ',').flatMap(checksOfDefinition)
}

function checksOfDefinition(tokens: SqlToken[]): CheckSchema[] {
  const checks: CheckSchema[] = []
  let pendingName: string | null = null
  let index = 0
  while (index < tokens.length) {
    const token = tokens[index]
    if (isWord(token, 'constraint')) {
      const nameIndex = nextSolidIndex(tokens, index)
      pendingName = tokens[nameIndex] ? normalizeSql([tokens[nameIndex]]) : null
      index = nameIndex + 1
      if (!isWord(tokens[nextSolidIndex(tokens, nameIndex)], 'check')) {
        pendingName = null
      }
      continue
    }
    if (isWord(token, 'check')) {
      const open = nextSolidIndex(tokens, index)
      const close = closingParenthesis(tokens, open)
      checks.push({ name: pendingName, expression: normalizeSql(tokens.slice(open + 1, close)) })
      pendingName = null
      index = close + 1
      continue
    }
    if (token.kind === 'symbol' && token.text === '(') {
      index = closingParenthesis(tokens, index) + 1
      continue
    }
    index += 1
  }
  return checks
}

/**
 * The key columns (or expressions) and the WHERE clause of a
 * `CREATE [UNIQUE] INDEX name ON table (...) [WHERE ...]` statement.
 */
export function partsOfCreateIndex(createIndexSql: string) {
  const tokens = tokenizeSql(createIndexSql)
  const on = tokens.findIndex((token) => isWord(token, 'on'))
  const open = tokens.findIndex(
    (token, index) => index > on && token.kind === 'symbol' && token.text === '('
  )
  if (on === -1 || open === -1) {
    return { columns: [], predicate: null }
  }
  const close = closingParenthesis(tokens, open)
  const columns = splitTopLevel(tokens.slice(open + 1, close), ',').map((piece) =>
    normalizeSql(piece)
  )
  const where = tokens.findIndex((token, index) => index > close && isWord(token, 'where'))
  const predicate = where === -1 ? null : normalizeSql(tokens.slice(where + 1))
  return { columns, predicate }
}
