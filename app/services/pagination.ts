import type {
  ColumnOptions,
  LucidModel,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'
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
   * row by row, such as the text filter: such a list also counts only one
   * page ahead, enough for a next link, since every match counted is a row
   * checked.
   */
  window?: number
}

type Row = Record<string, unknown>
type ListedColumn = ColumnOptions & { property: string }
type Page = { rows: Row[]; matches: number }

/**
 * Newest first, with the id as the tie-breaker so pages never overlap or
 * skip rows. Matches are counted as far as the reach only, so the count
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
  const lookahead = options.window === undefined ? TOTAL_LOOKAHEAD : perPage
  const reach = Math.min(offset + perPage + lookahead, options.window ?? Infinity)
  const limit = Math.max(0, Math.min(perPage, reach - offset))

  const columns = listedColumns(query.model)
  const selected = columns.map((column) => `${query.model.table}.${column.columnName}`)
  const read = options.window === undefined ? indexedPage : scannedPage
  const found = limit === 0 ? null : await read(query, selected, offset, limit, reach)
  // No row at this offset: the page may lie past the end, so count from the start.
  const { rows, matches } = found ?? { rows: [], matches: await countUpTo(query, reach + 1) }
  const items = rows.map((row) => present(listedInstance(query.model, columns, row)))
  return pageOf(items, page, perPage, Math.min(matches, reach), matches <= reach)
}

/**
 * A list whose filters its index answers. The page's ids come from the
 * list's `(scope, id)` index alone, then only those rows are read (a
 * deferred join): OFFSET skips index entries, not rows, and the planner
 * never trades the index for a walk of the primary key, which a direct read
 * of a scope whose rows are all old invited (docs/PERF.md). Then the matches
 * after the page's last id are counted, a short seek in the same index: a
 * full page's predecessors are full pages too, and a short page is the end
 * of the list.
 */
async function indexedPage<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  selected: string[],
  offset: number,
  limit: number,
  reach: number
): Promise<Page | null> {
  const table = query.model.table
  const pageIds = query
    .clone()
    .clearSelect()
    .select(`${table}.id`)
    .orderBy(`${table}.id`, 'desc')
    .offset(offset)
    .limit(limit)
  const rows = await rowsPicked(query, selected, (picked) => picked.whereIn('id', pageIds))
  if (rows.length === 0) {
    return null
  }
  const seen = offset + rows.length
  if (rows.length < limit) {
    return { rows, matches: seen }
  }
  const after = query.clone().where(`${table}.id`, '<', Number(rows[rows.length - 1].id))
  return { rows, matches: seen + (await countUpTo(after, reach - seen + 1)) }
}

/**
 * A list whose filter is checked row by row (the text filter): one scan
 * finds the page's ids and the matches after it, up to the reach, and only
 * the page's rows are read.
 */
async function scannedPage<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  selected: string[],
  offset: number,
  limit: number,
  reach: number
): Promise<Page | null> {
  const table = query.model.table
  const ids = await query
    .clone()
    .clearSelect()
    .select(`${table}.id`)
    .orderBy(`${table}.id`, 'desc')
    .offset(offset)
    .limit(reach - offset + 1)
    .pojo<{ id: number }>()
  if (ids.length === 0) {
    return null
  }
  const pageIds = ids.slice(0, limit).map((row) => Number(row.id))
  const rows = await rowsPicked(query, selected, (picked) => picked.whereIn('id', pageIds))
  return { rows, matches: offset + ids.length }
}

/**
 * The rows picked by `pick`, newest first, as plain rows.
 */
function rowsPicked<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  selected: string[],
  pick: (rows: ModelQueryBuilderContract<Model>) => void
) {
  const rows = query.model.query({ client: query.client }).select(selected).orderBy('id', 'desc')
  pick(rows)
  return rows.pojo<Row>()
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
 * The columns a list reads: those its model serializes. A hidden column
 * (a password hash, an offer's search text) is never shown in a list, so
 * it never leaves the database for one.
 */
function listedColumns(model: LucidModel): ListedColumn[] {
  return [...model.$columnsDefinitions.entries()]
    .filter(([, column]) => column.serializeAs !== null)
    .map(([property, column]) => ({ property, ...column }))
}

/**
 * A listed row as its model's presenter reads it: each column consumed as
 * Lucid would (dates become DateTime, JSON is parsed), on an object with the
 * model's methods but without Lucid's change tracking, which a list never
 * uses. Hydrating full Lucid models was the largest cost of a list request
 * in the server (docs/PERF.md).
 */
function listedInstance<Model extends LucidModel>(model: Model, columns: ListedColumn[], row: Row) {
  const instance = Object.create(model.prototype)
  instance.$preloaded = {}
  instance.$extras = {}
  for (const column of columns) {
    const value = row[column.columnName]
    instance[column.property] = column.consume
      ? column.consume(value, column.property, instance)
      : value
  }
  return instance as InstanceType<Model>
}
