import type { ChainableContract } from '@adonisjs/lucid/types/querybuilder'

/**
 * What the offers text filter matches against: title and brief, lower-cased
 * in JavaScript so Cyrillic folds the same on SQLite and PostgreSQL.
 */
export function searchTextOf(title: string, brief: string) {
  return `${title}\n${brief}`.toLowerCase()
}

/**
 * A LIKE pattern for a user's query, with LIKE's wildcards taken literally.
 */
function likePatternOf(query: string) {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/**
 * A text search serves its newest matches only: each match is checked row
 * by row, so deep pages of a common word would cost a scan of the table.
 * Ten pages of 20 are enough to find an offer; narrower words reach older
 * ones.
 */
export const TEXT_SEARCH_WINDOW = 200

/**
 * The offers text filter as a list pages it: a substring of the search
 * text, within the window. Walking rows it is checked with the database's
 * substring search (`strpos`, `instr`), which takes half the time of LIKE
 * on PostgreSQL; through the trigram index it must be a LIKE, the form
 * pg_trgm answers. Both match the same offers: the pattern's wildcards are
 * escaped, and both sides are lower-cased.
 *
 * On PostgreSQL the LIKE's pattern arrives through a scalar subquery, so
 * that no plan ever sees the word. Given the word, the planner guessed a
 * rare one in 7 offers where 356 matched, found that plan cheaper than the
 * one it keeps for any word, and so planned the statement again on every
 * search (0.37–0.39 ms each time); given a subquery, every word is the
 * same guess and the kept plan serves them all (docs/PERF.md). The
 * backslash is PostgreSQL's default LIKE escape, and an ESCAPE clause
 * there would be evaluated again for every row the index returns; SQLite
 * has no default escape and needs the clause.
 */
export function textSearchOf(query: string, dialect: string) {
  const needle = query.toLowerCase()
  const pattern = likePatternOf(query)
  const contains =
    dialect === 'postgres' ? 'strpos(search_text, ?) > 0' : 'instr(search_text, ?) > 0'
  return {
    window: TEXT_SEARCH_WINDOW,
    check: (rows: ChainableContract) => rows.whereRaw(contains, [needle]),
    lookup: (rows: ChainableContract) =>
      dialect === 'postgres'
        ? rows.whereRaw('search_text like (select ?::text)', [pattern])
        : rows.whereRaw("search_text like ? escape '\\'", [pattern]),
  }
}
