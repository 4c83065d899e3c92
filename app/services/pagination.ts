import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
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

/**
 * From this offset on, a page's ids are picked from the list's index before
 * its rows are read (a deferred join), so that OFFSET skips index entries
 * rather than rows. Nearer the top, reading the rows directly is cheaper:
 * the extra subquery costs more to plan than the few rows it saves.
 */
export const DEFERRED_JOIN_OFFSET = 1000

export type PageOptions = {
  /**
   * Serve only the first `window` matches (`total` never exceeds it); pages
   * beyond come back empty. For filters whose every match must be checked
   * row by row, such as the text filter.
   */
  window?: number
}

type Row = Record<string, unknown>

/**
 * Newest first, with the id as the tie-breaker so pages never overlap or
 * skip rows. The matches after the page are counted from its last id, up
 * to the lookahead, so the count costs the same at any depth.
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

  const rows = limit === 0 ? [] : await pageRows(query, offset, limit)
  const matches = await countMatches(query, offset, rows, limit, reach)
  const items = rows.map((row) => present(listedInstance(query.model, row)))
  return pageOf(items, page, perPage, Math.min(matches, reach), matches <= reach)
}

async function pageRows<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  offset: number,
  limit: number
) {
  const table = query.model.table
  const ordered = query.clone().orderBy(`${table}.id`, 'desc').offset(offset).limit(limit)
  if (offset < DEFERRED_JOIN_OFFSET) {
    return ordered.clearSelect().select(`${table}.*`).pojo<Row>()
  }
  return query.model
    .query({ client: query.client })
    .whereIn('id', ordered.clearSelect().select(`${table}.id`))
    .orderBy('id', 'desc')
    .pojo<Row>()
}

/**
 * The number of matches, as far as `reach + 1`. A full page's predecessors
 * are full pages too, so only the matches after its last id are counted; a
 * short page is the end of the list; an empty one may lie past the end,
 * so the list is counted from the start.
 */
async function countMatches<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  offset: number,
  rows: Row[],
  limit: number,
  reach: number
) {
  if (rows.length === 0) {
    return countUpTo(query, reach + 1)
  }
  const seen = offset + rows.length
  if (rows.length < limit) {
    return seen
  }
  const lastId = Number(rows[rows.length - 1].id)
  const after = query.clone().where(`${query.model.table}.id`, '<', lastId)
  return seen + (await countUpTo(after, reach - seen + 1))
}

async function countUpTo<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  cap: number
) {
  const capped = query.clone().clearOrder().clearSelect().select(query.client.raw('1')).limit(cap)
  const row = await query.client.query().from(capped.as('capped')).count('* as total').first()
  return Number(row.total)
}

/**
 * A listed row as its model's presenter reads it: each column consumed as
 * Lucid would (dates become DateTime, JSON is parsed), on an object with the
 * model's methods but without Lucid's change tracking, which a list never
 * uses. Hydrating full Lucid models was the largest cost of a list request
 * in the server (docs/PERF.md).
 */
function listedInstance<Model extends LucidModel>(model: Model, row: Row) {
  const instance = Object.create(model.prototype)
  instance.$preloaded = {}
  instance.$extras = {}
  for (const [property, column] of model.$columnsDefinitions) {
    const value = row[column.columnName]
    instance[property] = column.consume ? column.consume(value, property, instance) : value
  }
  return instance as InstanceType<Model>
}
