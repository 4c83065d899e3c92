import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { RawQuery } from '@adonisjs/lucid/types/querybuilder'
import { pageOf } from '#http/api_response'

export type PageRequest = { page?: number; perPage?: number }

export const DEFAULT_PER_PAGE = 20
export const MAX_PER_PAGE = 100

/**
 * How far past the requested page a list counts its matches. `total` is
 * exact while the list ends within that reach; past it, `total` is the
 * reach (the end of the page plus this many) and `totalIsExact` is false.
 * An exact count of a 300k-row list cost more than the page itself
 * (docs/PERF.md); a client needs the pages ahead, not the exact size.
 */
export const TOTAL_LOOKAHEAD = 100

export type PageOptions = {
  /**
   * Serve only the first `window` matches (`total` never exceeds it); pages
   * beyond come back empty. For filters whose every match must be checked
   * row by row, such as the text filter.
   */
  window?: number
}

/**
 * Newest first, with the id as the tie-breaker so pages never overlap or
 * skip rows. One statement picks the page's ids from the list's
 * `(scope, id)` index alone and reads only those rows in full (a deferred
 * join): a deep page skips index entries, not rows. The matches after the
 * page are counted from its last id, up to the lookahead, so the count
 * costs the same at any depth.
 */
export async function paginate<Model extends LucidModel, Item>(
  query: ModelQueryBuilderContract<Model>,
  request: PageRequest,
  present: (row: InstanceType<Model>) => Item,
  options: PageOptions = {}
) {
  const page = request.page ?? 1
  const perPage = request.perPage ?? DEFAULT_PER_PAGE
  const offset = (page - 1) * perPage
  const reach = Math.min(offset + perPage + TOTAL_LOOKAHEAD, options.window ?? Infinity)
  const limit = Math.max(0, Math.min(perPage, reach - offset))

  const rows = limit === 0 ? [] : await pageRows(query, offset, limit, reach)
  const matches =
    rows.length === 0
      ? await countUpTo(query, reach + 1)
      : offset + rows.length + (rows.length < limit ? 0 : Number(rows[0].$extras.matches_after))
  return pageOf(rows.map(present), page, perPage, Math.min(matches, reach), matches <= reach)
}

/**
 * The page's rows, each carrying the number of matches after the page (up
 * to the reach): the page's ids are picked once, in a CTE, and both the
 * rows and the count start from them.
 */
async function pageRows<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  offset: number,
  limit: number,
  reach: number
) {
  const table = query.model.table
  const client = query.client
  const pageIds = query
    .clone()
    .clearSelect()
    .select(`${table}.id`)
    .orderBy(`${table}.id`, 'desc')
    .offset(offset)
    .limit(limit)
  const after = query
    .clone()
    .clearOrder()
    .clearSelect()
    .select(client.raw('1'))
    .whereRaw(`${table}.id < (select min(id) from page_ids)`)
    .limit(Math.max(0, reach - offset - limit) + 1)
  const matchesAfter = client.query().from(after.as('after')).count('*')
  return query.model
    .query({ client })
    .with('page_ids', pageIds as unknown as RawQuery)
    .select(`${table}.*`, matchesAfter.as('matches_after'))
    .whereIn('id', client.query().from('page_ids').select('id'))
    .orderBy('id', 'desc')
}

async function countUpTo<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  cap: number
) {
  const capped = query.clone().clearOrder().clearSelect().select(query.client.raw('1')).limit(cap)
  const row = await query.client.query().from(capped.as('capped')).count('* as total').first()
  return Number(row.total)
}
