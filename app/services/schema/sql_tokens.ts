export type SqlToken = {
  kind: 'word' | 'string' | 'identifier' | 'space' | 'symbol'
  text: string
}

const CLOSING_QUOTE: Record<string, string> = { '"': '"', '`': '`', '[': ']' }

/**
 * Splits SQL text into words, string literals, quoted identifiers, spaces and
 * single-character symbols. Enough to find clauses in the DDL SQLite keeps
 * for each table and index; comments count as spaces.
 */
export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let position = 0
  while (position < text.length) {
    const char = text[position]
    const rest = text.slice(position)
    let end: number
    let kind: SqlToken['kind']

    if (/\s/.test(char)) {
      end = position + /^\s+/.exec(rest)![0].length
      kind = 'space'
    } else if (rest.startsWith('--')) {
      const newline = text.indexOf('\n', position)
      end = newline === -1 ? text.length : newline
      kind = 'space'
    } else if (rest.startsWith('/*')) {
      const close = text.indexOf('*/', position + 2)
      end = close === -1 ? text.length : close + 2
      kind = 'space'
    } else if (char === "'") {
      end = quotedEnd(text, position, "'")
      kind = 'string'
    } else if (char in CLOSING_QUOTE) {
      end = quotedEnd(text, position, CLOSING_QUOTE[char])
      kind = 'identifier'
    } else if (/[\w$]/.test(char)) {
      end = position + /^[\w$]+/.exec(rest)![0].length
      kind = 'word'
    } else {
      end = position + 1
      kind = 'symbol'
    }

    const raw = text.slice(position, end)
    tokens.push({ kind, text: kind === 'space' ? ' ' : raw })
    position = end
  }
  return tokens
}

/**
 * The end of a quoted run; a doubled quote inside it is an escaped one.
 */
function quotedEnd(text: string, start: number, quote: string) {
  let position = start + 1
  while (position < text.length) {
    if (text[position] === quote) {
      if (text[position + 1] === quote && quote !== ']') {
        position += 2
        continue
      }
      return position + 1
    }
    position += 1
  }
  return text.length
}

/**
 * The identifier a (possibly quoted) token names.
 */
export function unquoteIdentifier(token: SqlToken) {
  if (token.kind !== 'identifier') {
    return token.text
  }
  const quote = token.text[0]
  const inner = token.text.slice(1, -1)
  return quote === '[' ? inner : inner.replaceAll(quote + quote, quote)
}

/**
 * One spelling for expressions that mean the same: keywords and identifiers
 * lower-cased and unquoted, spaces collapsed, none just inside parentheses or
 * before commas. String literals are kept as written.
 */
export function normalizeSql(input: string | SqlToken[]) {
  const tokens = typeof input === 'string' ? tokenizeSql(input) : input
  const parts: string[] = []
  tokens.forEach((token, index) => {
    if (token.kind === 'space') {
      const previous = parts.at(-1)
      const next = tokens[index + 1]
      if (previous === undefined || previous === '(' || previous === ' ') return
      if (next === undefined || next.text === ')' || next.text === ',') return
      parts.push(' ')
      return
    }
    if (token.kind === 'string') {
      parts.push(token.text)
      return
    }
    parts.push(unquoteIdentifier(token).toLowerCase())
  })
  return parts.join('').trim()
}

/**
 * Splits tokens at the given symbol where it is not inside parentheses.
 */
export function splitTopLevel(tokens: SqlToken[], separator: string) {
  const pieces: SqlToken[][] = [[]]
  let depth = 0
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth += 1
    if (token.kind === 'symbol' && token.text === ')') depth -= 1
    if (depth === 0 && token.kind === 'symbol' && token.text === separator) {
      pieces.push([])
      continue
    }
    pieces.at(-1)!.push(token)
  }
  return pieces
}

/**
 * The index of the parenthesis that closes the one at `openIndex`.
 */
export function closingParenthesis(tokens: SqlToken[], openIndex: number) {
  let depth = 0
  for (let index = openIndex; index < tokens.length; index++) {
    const token = tokens[index]
    if (token.kind !== 'symbol') continue
    if (token.text === '(') depth += 1
    if (token.text === ')') depth -= 1
    if (depth === 0) return index
  }
  return tokens.length
}

/**
 * The next token after `index` that is not a space.
 */
export function nextSolidIndex(tokens: SqlToken[], index: number) {
  let position = index + 1
  while (position < tokens.length && tokens[position].kind === 'space') {
    position += 1
  }
  return position
}

export function isWord(token: SqlToken | undefined, word: string) {
  return token?.kind === 'word' && token.text.toLowerCase() === word
}
