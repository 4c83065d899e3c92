import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import { pageOf } from '#http/api_response'

export type PageRequest = { page?: number; perPage?: number }

export const DEFAULT_PER_PAGE = 20
export const MAX_PER_PAGE = 100

/**
 * Lists count their matches only up to this many: past it, `total` stays at
 * the cap and `totalIsExact` is false. An exact count of a 300k-row list
 * costs more than the page itself (docs/PERF.md); pages past the cap are
 * still served.
 */
export const TOTAL_COUNT_CAP = 10_000

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
 * skip rows. The page's ids are picked first, from the list's index alone,
 * and only those rows are read in full (a deferred join): a deep page then
 * skips index entries rather than whole rows.
 */
export async function paginate<Model extends LucidModel, Item>(
  query: ModelQueryBuilderContract<Model>,
  request: PageRequest,
  present: (row: InstanceType<Model>) => Item,
  options: PageOptions = {}
) {
  const page = request.page ?? 1
  const perPage = request.perPage ?? DEFAULT_PER_PAGE
  const countCap = Math.min(options.window ?? TOTAL_COUNT_CAP, TOTAL_COUNT_CAP)
  const matches = await countUpTo(query, countCap + 1)
  const total = Math.min(matches, countCap)

  const offset = (page - 1) * perPage
  const limit =
    options.window === undefined ? perPage : Math.max(0, Math.min(perPage, options.window - offset))
  const rows = limit === 0 ? [] : await pageRows(query, offset, limit)
  return pageOf(rows.map(present), page, perPage, total, matches <= countCap)
}

async function countUpTo<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  cap: number
) {
  const capped = query.clone().clearOrder().clearSelect().select(query.client.raw('1')).limit(cap)
  const row = await query.client.query().from(capped.as('capped')).count('* as total').first()
  return Number(row.total)
}

async function pageRows<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  offset: number,
  limit: number
) {
  const table = query.model.table
  const idRows = await query
    .clone()
    .clearSelect()
    .select(`${table}.id`)
    .orderBy(`${table}.id`, 'desc')
    .offset(offset)
    .limit(limit)
    .pojo<{ id: number }>()
  if (idRows.length === 0) {
    return []
  }
  return query.model
    .query({ client: query.client })
    .whereIn(
      'id',
      idRows.map((row) => row.id)
    )
    .orderBy('id', 'desc')
}
