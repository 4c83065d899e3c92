import type {
  ChainableContract,
  DatabaseQueryBuilderContract,
  RawQuery,
  StrictValues,
} from '@adonisjs/lucid/types/querybuilder'
import type {
  ColumnOptions,
  LucidModel,
  ModelQueryBuilderContract,
} from '@adonisjs/lucid/types/model'
import { pageOf } from '#http/api_response'
import { preparedRows } from '#services/database/prepared_rows'
import { PlanMemo } from '#services/plan_memo'

export type PageRequest = { page?: number; perPage?: number; after?: number }

const DEFAULT_PER_PAGE = 20
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
 * A row-by-row filter walks a scope's newest rows, this many per match it
 * needs, before it turns to an index (see `scannedPage`): the walk pays
 * while at least one row in ten matches.
 */
export const SCANNED_PER_MATCH = 10

export type PageOptions = {
  /**
   * A filter that no `(scope, id)` index answers (the text filter): `check`
   * tests it row by row, `lookup` is the same filter in the form its own
   * index answers. Such a list serves only its first `window`
   * matches (`total` never exceeds it; pages beyond come back empty) and
   * counts only one page ahead, enough for a next link: every match counted
   * is a row checked.
   */
  scanned?: { window: number; check: RowFilter; lookup: RowFilter }
}

type RowFilter = (rows: ChainableContract) => void
type Row = Record<string, unknown>
type ListedColumn = ColumnOptions & { property: string }
type Page = { rows: Row[]; matches: number }

/**
 * What a list reads of each row, and whether its scope holds no value (no
 * user, no chosen status): such a list's statements are the same for every
 * reader, and PostgreSQL may keep one plan for each only if no plan sees
 * the page's limit and offset (`preparedRows`). A scope with a value keeps
 * them in sight: there a plan made for the value can matter, a brand with
 * thousands of drafts read through a plan for the average brand took 9.7
 * instead of 1.4 ms (docs/DECISIONS.md). A text filter's word is no such
 * value: no plan sees it (`textSearchOf`).
 */
type PageRead = { selected: string[]; valueFree: boolean }

/**
 * Where a requested page starts: a numbered page at its offset; a page
 * after a cursor (`after`) at the start of what is left past the cursor,
 * with no page number.
 */
export function pagePlace(request: PageRequest) {
  const page = request.after === undefined ? (request.page ?? 1) : null
  const perPage = request.perPage ?? DEFAULT_PER_PAGE
  return { page, perPage, offset: page === null ? 0 : (page - 1) * perPage }
}

/**
 * The next page's cursor: the last id of this page, while more matches
 * were counted than the pages up to this one hold.
 */
export function nextAfterOf(lastId: number | undefined, seen: number, matches: number) {
  return lastId !== undefined && matches > seen ? lastId : null
}

/**
 * Newest first, with the id as the tie-breaker so pages never overlap or
 * skip rows. A page is either numbered (`page`, an OFFSET) or starts after
 * a cursor (`after`, the last id already seen): the cursor costs the same
 * at any depth, the number walks the entries before the page. Matches are
 * counted as far as the reach only, from where the page starts, so the
 * count costs the same at any depth. `nextAfter` is the cursor of the next
 * page while more matches were counted.
 */
export async function paginate<Model extends LucidModel, Item>(
  query: ModelQueryBuilderContract<Model>,
  request: PageRequest,
  present: (row: InstanceType<Model>) => Item,
  options: PageOptions = {}
) {
  const { page, perPage, offset } = pagePlace(request)
  const lookahead = options.scanned ? perPage : TOTAL_LOOKAHEAD
  const window = options.scanned?.window ?? Infinity
  const reach = Math.min(offset + perPage + lookahead, window)
  const limit = Math.max(0, Math.min(perPage, reach - offset))
  const scope =
    request.after === undefined
      ? query
      : query.clone().where(`${query.model.table}.id`, '<', request.after)

  const columns = listedColumns(query.model)
  const selected = columns.map((column) => `${query.model.table}.${column.columnName}`)
  // Only PostgreSQL keeps plans; elsewhere the scope is not compiled twice.
  const valueFree = query.client.dialect.name === 'postgres' && query.toSQL().bindings.length === 0
  const read = { selected, valueFree }
  const { rows, matches } = options.scanned
    ? await scannedPage(scope, options.scanned, read, {
        offset,
        limit,
        reach,
        firstReach: Math.min(perPage + lookahead, window),
      })
    : await indexedPage(scope, read, offset, limit, reach)
  const items = rows.map((row) => present(listedInstance(query.model, columns, row)))
  const lastId = rows.length > 0 ? Number(rows[rows.length - 1].id) : undefined
  const nextAfter = nextAfterOf(lastId, offset + rows.length, matches)
  return pageOf(items, page, perPage, Math.min(matches, reach), matches <= reach, nextAfter)
}

/**
 * A list whose filters its index answers, read in one query. The page's ids
 * come from the list's `(scope, id)` index alone, then only those rows are
 * read (a deferred join): OFFSET skips index entries, not rows, and the
 * planner never trades the index for a walk of the primary key, which a
 * direct read of a scope whose rows are all old invited (docs/PERF.md).
 * Beside them, the matches after the page's last id are counted, a short
 * seek in the same index: a full page's predecessors are full pages too,
 * and after a short page there is nothing left to count.
 */
async function indexedPage<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  { selected, valueFree }: PageRead,
  offset: number,
  limit: number,
  reach: number
): Promise<Page> {
  const table = query.model.table
  const client = query.client
  const pageIds = query
    .clone()
    .clearSelect()
    .select(`${table}.id`)
    .orderBy(`${table}.id`, 'desc')
    .offset(offset)
    .limit(limit)
  const afterPage = query
    .clone()
    .clearSelect()
    .clearOrder()
    .select(client.raw('1'))
    .where(`${table}.id`, '<', client.raw('(select min(id) from page_ids)'))
    .limit(reach - offset - limit + 1)
  const matchesAfter = client.query().from(afterPage.as('after_page')).count('* as total')
  const rows = await preparedRows(
    query.model
      .query({ client })
      .with('page_ids', pageIds)
      .select([...selected, matchesAfter.as('matches_after')])
      .whereIn('id', client.query().from('page_ids').select('id'))
      .orderBy('id', 'desc'),
    { limitsUnseen: valueFree }
  )
  if (rows.length === 0) {
    // No row at this offset: the page may lie past the end, so count from the start.
    return { rows, matches: await countUpTo(query, reach + 1) }
  }
  return { rows, matches: offset + rows.length + Number(rows[0].matches_after) }
}

/**
 * How a search's matches were found last time, per scope, word and depth:
 * among the scope's newest rows, or through the filter's index.
 */
type ScanPlan = 'newest' | 'index'

/**
 * The plan that served each search last. A repeated search (a popular
 * word, the next page of the same one) goes straight to it instead of
 * finding it again: that saves a rare word's walk of the newest rows and a
 * common word's first, shorter walk on a deep page, each a statement. A
 * minute is long enough for a burst of the same search and short enough
 * that a word growing common or rare is noticed soon: a rare word that
 * grew common would still be answered right through the index, only
 * slower, until its entry expires.
 */
export const scanPlans = new PlanMemo<ScanPlan>(1_000, 60_000)

/**
 * A list filtered row by row (the text filter): its matches up to the reach
 * are found, and the page's rows read, in one statement per plan. A common
 * word is found among the scope's newest rows, checked newest first: first
 * as many as a first page needs, then, if at least one in
 * `SCANNED_PER_MATCH` of those matched and a deeper page needs more, enough
 * to find the rest at that rate. A rarer word is looked up through the
 * filter's index (pg_trgm on PostgreSQL) and its matches sorted: ordering
 * by `id + 0` keeps the planner off the primary key. The choice is made
 * here, not by the planner, whose choice rests on its estimate of the
 * word's frequency: a sample got it wrong for rare words, and a wrong guess
 * walked tens of thousands of rows, while a sample large enough to get it
 * right cost most of a millisecond to plan each search (docs/PERF.md).
 * What served last is tried first (`scanPlans`); a walk that falls short
 * still ends in the index, so every plan gives the same page.
 */
async function scannedPage<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  filter: { check: RowFilter; lookup: RowFilter },
  read: PageRead,
  page: { offset: number; limit: number; reach: number; firstReach: number }
): Promise<Page> {
  const table = query.model.table
  const wanted = page.reach + 1
  const amongNewest = (scanned: number) => {
    const newestRows = query
      .clone()
      .clearSelect()
      .clearOrder()
      .select(`${table}.*`)
      .orderBy(`${table}.id`, 'desc')
      .limit(scanned)
    const matching = query.client
      .query()
      .from(newestRows.as(table))
      .select('id')
      .orderBy('id', 'desc')
      .limit(wanted)
    filter.check(matching)
    return matching
  }
  const anywhere = query
    .clone()
    .clearSelect()
    .clearOrder()
    .select(`${table}.id`)
    .orderByRaw(`${table}.id + 0 desc`)
    .limit(wanted)
  filter.lookup(anywhere)
  // The index's statement names the scope, the word and the depth (its
  // limit): compiled once, it is the memo's key and, if needed, the lookup.
  const lookup = anywhere.toSQL()
  const planKey = JSON.stringify([lookup.sql, lookup.bindings])

  // A deeper page needs more: `deep` is never less than `probed`.
  const probed = (page.firstReach + 1) * SCANNED_PER_MATCH
  const deep = wanted * SCANNED_PER_MATCH
  const remembered = scanPlans.recall(planKey)
  let walked: Page | undefined
  if (remembered === 'newest') {
    walked = await pageAmong(query, amongNewest(deep), read, page)
  } else if (remembered === undefined) {
    walked = await pageAmong(query, amongNewest(probed), read, page)
    const common = walked.matches * SCANNED_PER_MATCH >= probed
    if (walked.matches < wanted && common && deep > probed) {
      walked = await pageAmong(query, amongNewest(deep), read, page)
    }
  }
  // Only a plan found by trying is remembered, so that an entry in use still
  // expires and the next search after it tries the plans in order again.
  if (walked !== undefined && walked.matches >= wanted) {
    if (remembered === undefined) {
      scanPlans.remember(planKey, 'newest')
    }
    return walked
  }
  if (remembered !== 'index') {
    scanPlans.remember(planKey, 'index')
  }
  const compiledLookup = query.client.raw(lookup.sql, lookup.bindings as StrictValues[])
  return pageAmong(query, compiledLookup, read, page)
}

/**
 * The page's rows among the ids `matching` finds, each with the number of
 * those ids beside it, in one statement. The count is joined to the page's
 * rows from the right, so that it comes back on a row of its own when the
 * page is empty: a page past the end of the matches, or past the window.
 */
async function pageAmong<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  matching: ChainableContract | RawQuery,
  { selected, valueFree }: PageRead,
  page: { offset: number; limit: number }
): Promise<Page> {
  const table = query.model.table
  const client = query.client
  const pageIds = client
    .query()
    .from('matching')
    .select('id')
    .orderBy('id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
  const rows = await preparedRows(
    client
      .query()
      .with('matching', matching)
      .with('page_ids', pageIds)
      .from('page_ids')
      .join(table, `${table}.id`, 'page_ids.id')
      .joinRaw('right join (select count(*) as matches from matching) as counted on true')
      .select([...selected, 'counted.matches'])
      .orderBy(`${table}.id`, 'desc'),
    { limitsUnseen: valueFree }
  )
  return {
    rows: rows.filter((row) => row.id !== null),
    matches: Number(rows[0].matches),
  }
}

/**
 * How many rows the query matches, counted no further than `cap`.
 */
export async function countUpTo(
  query: ModelQueryBuilderContract<LucidModel> | DatabaseQueryBuilderContract,
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
