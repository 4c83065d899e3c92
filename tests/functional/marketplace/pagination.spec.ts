import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { SCANNED_PER_MATCH, scanPlans, TOTAL_LOOKAHEAD } from '#services/pagination'
import { searchTextOf, TEXT_SEARCH_WINDOW } from '#services/offers/search_text'
import { dbNow } from '#services/database/timestamps'
import { QueryRecorder } from '#services/perf/query_recorder'
import { explainQuery } from '#services/perf/explain_query'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party } from '#tests/support/marketplace'
import { WebAgent } from '#tests/support/web_agent'

/**
 * Inserts published offers in bulk: building ten thousand through the
 * services would take minutes.
 */
async function insertPublishedOffers(
  brand: User,
  count: number,
  title: string | ((index: number) => string)
) {
  const now = dbNow()
  const titleOf = (index: number) =>
    typeof title === 'string' ? `${title} ${index}` : title(index)
  const rows = Array.from({ length: count }, (_, index) => ({
    brand_id: brand.id,
    title: titleOf(index),
    brief: 'Короткое видео',
    search_text: searchTextOf(titleOf(index), 'Короткое видео'),
    budget: 100_000,
    currency: 'RUB',
    status: 'published',
    published_at: now,
    created_at: now,
    updated_at: now,
  }))
  for (let start = 0; start < rows.length; start += 500) {
    await db.table('offers').multiInsert(rows.slice(start, start + 500))
  }
}

type ListPage = { items: Array<{ id: number; title: string }> } & Record<string, any>

/**
 * GET /api/offers as the holder of `token`: the page's `data`, once the
 * answer is known to be a 200.
 */
async function offersPage(
  client: ApiClient,
  token: string,
  qs: Record<string, string | number>
): Promise<ListPage> {
  const response = await client.get('/api/offers').qs(qs).bearerToken(token)
  response.assertStatus(200)
  return response.body().data
}

function idsOf(page: ListPage) {
  return page.items.map((item) => item.id)
}

/**
 * A page with no items that still tells how many matches there are, exactly,
 * and has no next page.
 */
function assertEmptyPage(assert: Assert, page: ListPage, total: number) {
  assert.deepEqual(page.items, [])
  assert.include(page, { total, totalIsExact: true, nextAfter: null })
}

/**
 * The last numbered page a search of `q` serves: the last 20 of the
 * window's matches, newest first, with the total capped at the window.
 */
async function assertLastPageOfWindow(
  assert: Assert,
  client: ApiClient,
  token: string,
  q: string,
  matching: number[]
) {
  const data = await offersPage(client, token, { q, page: TEXT_SEARCH_WINDOW / 20, perPage: 20 })
  assert.include(data, { total: TEXT_SEARCH_WINDOW, totalIsExact: false })
  assert.deepEqual(idsOf(data), matching.slice(TEXT_SEARCH_WINDOW - 20, TEXT_SEARCH_WINDOW))
  return data
}

/**
 * Enough offers that a deep page of a common word is found among the
 * newest: every fifth is a rucksack, the oldest first.
 */
const ONE_IN_FIVE_SIZE = 2 * SCANNED_PER_MATCH * (TEXT_SEARCH_WINDOW + 1)

async function insertOneRucksackInFive(brand: User) {
  await insertPublishedOffers(brand, ONE_IN_FIVE_SIZE, (index) =>
    index % 5 === 0 ? `Рюкзак ${index}` : `Обзор ${index}`
  )
}

/**
 * The statements `request` sent whose SQL names `marker`.
 */
async function statementsDuring(marker: string, request: () => Promise<unknown>) {
  const recorder = new QueryRecorder()
  recorder.start()
  try {
    await request()
  } finally {
    await recorder.stop()
  }
  return recorder.queries.filter((query) => query.sql.includes(marker))
}

/**
 * The statements that read the offers' search text while `request` ran:
 * one per plan a search tried.
 */
function searchStatementsDuring(request: () => Promise<unknown>) {
  return statementsDuring('search_text', request)
}

/**
 * The page statements of the lists `request` read.
 */
function pageStatementsDuring(request: () => Promise<unknown>) {
  return statementsDuring('page_ids', request)
}

/**
 * The plans a search told `scanPlans` to remember while `request` ran.
 */
async function plansRememberedDuring(request: () => Promise<unknown>) {
  const remembered: string[] = []
  const remember = scanPlans.remember.bind(scanPlans)
  scanPlans.remember = (key, plan) => {
    remembered.push(plan)
    remember(key, plan)
  }
  try {
    await request()
  } finally {
    Reflect.deleteProperty(scanPlans, 'remember')
  }
  return remembered
}

async function offerIdsNewestFirst() {
  const rows = await db.from('offers').select('id').orderBy('id', 'desc')
  return rows.map((row) => Number(row.id))
}

test.group('List paging', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    scanPlans.clear()
  })

  test('a small list has an exact total and pages that tile it newest first', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, 45, 'Обзор')
    const ids = await offerIdsNewestFirst()

    const seen: number[] = []
    for (const page of [1, 2, 3]) {
      const data = await offersPage(client, brand.token, { page, perPage: 20 })
      assert.equal(data.total, 45)
      assert.isTrue(data.totalIsExact)
      seen.push(...idsOf(data))
    }
    assert.deepEqual(seen, ids)
  })

  test('a page past the last match is empty and still tells the exact total', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, 45, 'Обзор')
    const data = await offersPage(client, brand.token, { page: 10, perPage: 20 })
    assertEmptyPage(assert, data, 45)
  })

  test('the total is exact up to the lookahead past the page, then marked inexact at its reach', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const reachOfFirstPage = 20 + TOTAL_LOOKAHEAD
    await insertPublishedOffers(brand.user, reachOfFirstPage, 'Обзор')
    const exact = await offersPage(client, brand.token, { perPage: 20 })
    assert.equal(exact.total, reachOfFirstPage)
    assert.isTrue(exact.totalIsExact)

    await insertPublishedOffers(brand.user, 1, 'Обзор')
    const beyond = await offersPage(client, brand.token, { perPage: 20 })
    assert.equal(beyond.total, reachOfFirstPage)
    assert.isFalse(beyond.totalIsExact)
  })

  test('deep pages are served, and the counted reach moves with the page until the end', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const size = 200 + TOTAL_LOOKAHEAD + 7
    await insertPublishedOffers(brand.user, size, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const pageOf = (page: number) => offersPage(client, brand.token, { page, perPage: 20 })

    const first = await pageOf(1)
    assert.equal(first.total, 20 + TOTAL_LOOKAHEAD)
    assert.isFalse(first.totalIsExact)

    const tenth = await pageOf(10)
    assert.equal(tenth.total, 200 + TOTAL_LOOKAHEAD)
    assert.isFalse(tenth.totalIsExact)
    assert.deepEqual(idsOf(tenth), ids.slice(180, 200))

    const lastPage = Math.ceil(size / 20)
    const last = await pageOf(lastPage)
    assert.equal(last.total, size)
    assert.isTrue(last.totalIsExact)
    assert.deepEqual(idsOf(last), ids.slice((lastPage - 1) * 20))
  })

  test('a deep page holds the rows at its offset, newest first', async ({ client, assert }) => {
    const brand = await party('brand')
    const depth = 1000
    const size = depth + 30
    await insertPublishedOffers(brand.user, size, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const page = depth / 20 + 1
    const data = await offersPage(client, brand.token, { page, perPage: 20 })
    assert.deepEqual(idsOf(data), ids.slice(depth, depth + 20))
    assert.equal(data.items[0].title, `Обзор ${size - 1 - depth}`)
    assert.equal(data.total, size)
    assert.isTrue(data.totalIsExact)
  })

  test('a text search serves its newest matches up to the window, then empty pages', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, TEXT_SEARCH_WINDOW + 5, 'Самокат')
    await insertPublishedOffers(brand.user, 3, 'Рюкзак')
    const matching = (await offerIdsNewestFirst()).slice(3)

    const first = await offersPage(client, creator.token, { q: 'самокат' })
    assert.equal(first.total, 40, 'a search counts one page ahead')
    assert.isFalse(first.totalIsExact)

    await assertLastPageOfWindow(assert, client, creator.token, 'самокат', matching)

    const beyond = await offersPage(client, creator.token, {
      q: 'самокат',
      page: TEXT_SEARCH_WINDOW / 20 + 1,
      perPage: 20,
    })
    assert.deepEqual(beyond.items, [])

    const rare = await offersPage(client, creator.token, { q: 'рюкзак' })
    assert.equal(rare.total, 3)
    assert.isTrue(rare.totalIsExact)
  })

  test('a word too rare among the newest offers is found in older ones too, newest first, and a page past its matches is empty', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, 20, 'Рюкзак')
    const newestScanned = SCANNED_PER_MATCH * (TEXT_SEARCH_WINDOW + 1)
    await insertPublishedOffers(brand.user, newestScanned, 'Обзор')
    await insertPublishedOffers(brand.user, 10, 'Рюкзак')
    const ids = await offerIdsNewestFirst()
    const matching = [...ids.slice(0, 10), ...ids.slice(10 + newestScanned)]
    const pageOf = (page: number) =>
      offersPage(client, creator.token, { q: 'рюкзак', page, perPage: 20 })

    const seen: number[] = []
    for (const page of [1, 2]) {
      const data = await pageOf(page)
      assert.equal(data.total, 30)
      assert.isTrue(data.totalIsExact)
      seen.push(...idsOf(data))
    }
    assert.deepEqual(seen, matching)

    const pastTheMatches = await pageOf(3)
    assertEmptyPage(assert, pastTheMatches, 30)
  })

  test('a deep page of a word in one offer of five is served from the newest offers, in order', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertOneRucksackInFive(brand.user)
    const ids = await offerIdsNewestFirst()
    const matching = ids.filter((_, newness) => (ONE_IN_FIVE_SIZE - 1 - newness) % 5 === 0)
    await assertLastPageOfWindow(assert, client, creator.token, 'рюкзак', matching)
  })

  test('a search takes % and _ literally, whether it walks the newest offers or uses the index', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, 45, (index) => `Скидка 50% и код a_b ${index}`)
    await insertPublishedOffers(brand.user, 45, (index) => `Скидка 500 и код axb ${index}`)
    const search = (q: string, page: number) =>
      offersPage(client, creator.token, { q, page, perPage: 20 })

    for (const q of ['50%', 'a_b']) {
      const walked = await search(q, 1)
      assert.isFalse(walked.totalIsExact)
      assert.lengthOf(walked.items, 20)
      for (const offer of walked.items) {
        assert.include(offer.title, q)
      }

      const lookedUp = await search(q, 3)
      assert.equal(lookedUp.total, 45)
      assert.isTrue(lookedUp.totalIsExact)
      assert.lengthOf(lookedUp.items, 5)
      for (const offer of lookedUp.items) {
        assert.include(offer.title, q)
      }
    }
  })

  test('a repeated search goes straight to the plan that served it last, and finds the same page', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, 10, 'Самокат')
    await insertOneRucksackInFive(brand.user)
    const searches = [
      { q: 'самокат', page: 1, plans: 'the newest offers, then the index' },
      { q: 'рюкзак', page: TEXT_SEARCH_WINDOW / 20, plans: 'a first walk, then a deeper one' },
      { q: 'рюкзак', page: 1, plans: 'one walk' },
    ]
    for (const { q, page, plans } of searches) {
      const search = () => offersPage(client, creator.token, { q, page, perPage: 20 })
      let first: ListPage | undefined
      let again: ListPage | undefined
      const firstTime = await searchStatementsDuring(async () => {
        first = await search()
      })
      let nextTime: unknown[] = []
      const renewed = await plansRememberedDuring(async () => {
        nextTime = await searchStatementsDuring(async () => {
          again = await search()
        })
      })
      assert.lengthOf(firstTime, plans === 'one walk' ? 1 : 2, `${q} page ${page}: ${plans}`)
      assert.lengthOf(nextTime, 1, `${q} page ${page} again`)
      assert.deepEqual(again, first)
      assert.deepEqual(renewed, [], 'a plan in use is not remembered again, so it still expires')
    }
    const rare = await offersPage(client, creator.token, { q: 'самокат', page: 1, perPage: 20 })
    assert.equal(rare.total, 10)
    assert.lengthOf(rare.items, 10)
  })

  test('a remembered walk that no longer finds enough falls through to the index', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, 45, 'Рюкзак')
    const search = () => offersPage(client, creator.token, { q: 'рюкзак', page: 1, perPage: 20 })
    const walked = await search()
    const matching = await offerIdsNewestFirst()
    assert.deepEqual(idsOf(walked), matching.slice(0, 20))

    await insertPublishedOffers(brand.user, SCANNED_PER_MATCH * (TEXT_SEARCH_WINDOW + 1), 'Обзор')
    let lookedUp: ListPage | undefined
    const statements = await searchStatementsDuring(async () => {
      lookedUp = await search()
    })
    assert.lengthOf(statements, 2, 'the remembered walk, then the index')
    assert.deepEqual(idsOf(lookedUp!), matching.slice(0, 20))
    assert.include(lookedUp, { total: 40, totalIsExact: false })
    assert.lengthOf(await searchStatementsDuring(search), 1, 'the index is remembered now')
  })

  test('no plan of the index lookup sees the word, so PostgreSQL keeps one plan for every word', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, 30, 'Самокат')
    await insertPublishedOffers(brand.user, SCANNED_PER_MATCH * 41, 'Обзор')
    const statements = await searchStatementsDuring(() =>
      offersPage(client, creator.token, { q: 'самокат' })
    )
    const lookup = statements.find((statement) => statement.sql.includes('search_text like'))
    assert.exists(lookup, 'a word this rare is looked up through the index')

    const planForTheWord = await explainQuery(lookup!)
    assert.isNull(planForTheWord.error)
    assert.notInclude(planForTheWord.lines.join('\n'), 'самокат', 'even a plan made for this word')

    // EXECUTE takes literals only: the pattern quoted, the limits as they are.
    const executeFor = (word: string) => {
      const values = lookup!.bindings.map((value) =>
        String(value).startsWith('%') ? `'%${word}%'` : String(value)
      )
      return `EXECUTE word_lookup(${values.join(', ')})`
    }
    const driver = db.connection().getWriteClient().client as unknown as {
      positionBindings(sql: string): string
    }
    await db.transaction(async (trx) => {
      await trx.rawQuery(`PREPARE word_lookup AS ${driver.positionBindings(lookup!.sql)}`)
      for (const word of [
        'самокат',
        'нет такого',
        'самокат',
        'амока',
        'обзор',
        'самокат',
        'такого',
      ]) {
        await trx.rawQuery(executeFor(word))
      }
      const prepared = await trx.rawQuery(
        "SELECT generic_plans FROM pg_prepared_statements WHERE name = 'word_lookup'"
      )
      assert.isAbove(Number(prepared.rows[0].generic_plans), 0, 'the kept plan served later words')
      await trx.rawQuery('DEALLOCATE word_lookup')
    })
  }).skip(process.env.DB_CONNECTION !== 'pg', 'a PostgreSQL plan cache')

  test('PostgreSQL keeps one plan for a list page: no plan is made for its limit or its offset', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    // Enough offers, known to the planner, that a tenth of them is more than a page.
    await insertPublishedOffers(brand.user, 5_000, 'Обзор')
    await db.rawQuery('ANALYZE offers')
    const creatorPages = await pageStatementsDuring(async () => {
      for (const [page, perPage] of [
        [3, 20],
        [2, 7],
        [40, 100],
      ]) {
        await offersPage(client, creator.token, { page, perPage })
      }
    })
    assert.lengthOf(creatorPages, 3)
    assert.lengthOf(
      new Set(creatorPages.map((statement) => statement.sql)),
      1,
      'one statement, so one kept plan, for every page past the first and every size'
    )
    const pageStatement = creatorPages[0]
    assert.include(pageStatement.sql, 'limit (select ?::bigint) offset (select ?::bigint)')

    // A brand's scope holds a value, its id: a plan made for it may differ, so
    // its limit and offset stay in sight and PostgreSQL weighs them as ever.
    const brandPages = await pageStatementsDuring(() =>
      offersPage(client, brand.token, { page: 3, perPage: 20 })
    )
    assert.include(brandPages[0].sql, 'limit ? offset ?')

    const driver = db.connection().getWriteClient().client as unknown as {
      positionBindings(sql: string): string
    }
    const values = pageStatement.bindings.map((value) => String(value))
    await db.transaction(async (trx) => {
      await trx.rawQuery(`PREPARE list_page AS ${driver.positionBindings(pageStatement.sql)}`)
      for (let request = 0; request < 8; request++) {
        await trx.rawQuery(`EXECUTE list_page${values.length > 0 ? `(${values.join(', ')})` : ''}`)
      }
      const prepared = await trx.rawQuery(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'list_page'"
      )
      assert.isAbove(Number(prepared.rows[0].generic_plans), 0, 'the kept plan served the page')
      assert.isAtMost(Number(prepared.rows[0].custom_plans), 5, 'PostgreSQL stopped planning it')
      await trx.rawQuery('DEALLOCATE list_page')
    })
  }).skip(process.env.DB_CONNECTION !== 'pg', 'a PostgreSQL plan cache')

  test('cursor pages (after) tile a list as numbered pages do, and nextAfter ends with the list', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, 45, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const list = (qs: Record<string, number>) => offersPage(client, brand.token, qs)

    const first = await list({ perPage: 20 })
    assert.equal(first.nextAfter, ids[19])
    const seen = idsOf(first)
    let after = first.nextAfter
    const totals: number[] = []
    while (after !== null) {
      const data = await list({ after, perPage: 20 })
      assert.isNull(data.page)
      totals.push(data.total)
      seen.push(...idsOf(data))
      after = data.nextAfter
    }
    assert.deepEqual(seen, ids)
    assert.deepEqual(totals, [25, 5], 'a cursor page counts the matches after its cursor')

    const numberedLast = await list({ page: 3, perPage: 20 })
    assert.isNull(numberedLast.nextAfter)
    const pastTheEnd = await list({ after: ids[44], perPage: 20 })
    assertEmptyPage(assert, pastTheEnd, 0)
  })

  test('a list with 64-bit ids takes back the cursor it gave past 2^31 − 1', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const now = dbNow()
    for (let index = 0; index < 25; index++) {
      const [event] = await db
        .table('outbox_events')
        .insert({
          type: 'deal.funded',
          aggregate_type: 'deal',
          aggregate_id: index + 1,
          payload: '{}',
          meta: JSON.stringify({ requestId: null, actorId: null }),
          status: 'done',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })
        .returning('id')
      await db.table('notifications').insert({
        id: 3_000_000_000 + index,
        user_id: creator.user.id,
        event_id: Number(typeof event === 'object' ? event.id : event),
        type: 'deal_funded',
        payload: '{}',
        telegram: false,
        created_at: now,
      })
    }
    const list = (qs: Record<string, number>) =>
      client.get('/api/notifications').qs(qs).bearerToken(creator.token)

    const first = await list({ perPage: 20 })
    first.assertStatus(200)
    assert.equal(first.body().data.nextAfter, 3_000_000_005)
    const rest = await list({ after: first.body().data.nextAfter, perPage: 20 })
    rest.assertStatus(200)
    assert.deepEqual(
      rest.body().data.items.map((item: { id: number }) => item.id),
      [3_000_000_004, 3_000_000_003, 3_000_000_002, 3_000_000_001, 3_000_000_000]
    )
  })

  test('a cursor with a page number, or a cursor that is not an id, is a validation error', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const everyList = ['/api/offers', '/api/notifications', '/api/ledger']
    const cases: Array<[Record<string, string | number>, string, string[]]> = [
      [{ after: 5, page: 2 }, 'withoutPage', everyList],
      [{ after: 0 }, 'min', everyList],
      [{ after: 'abc' }, 'number', everyList],
      [{ after: 1.5 }, 'withoutDecimals', everyList],
      [{ after: 3_000_000_000 }, 'max', ['/api/offers']],
      [{ after: '9007199254740992' }, 'max', ['/api/notifications', '/api/ledger']],
    ]
    for (const [qs, rule, paths] of cases) {
      for (const path of paths) {
        const response = await client.get(path).qs(qs).bearerToken(brand.token)
        response.assertStatus(422)
        assert.equal(response.body().error.code, 'VALIDATION_ERROR')
        const fields = response.body().error.fields.map((field: Record<string, string>) => ({
          field: field.field,
          rule: field.rule,
        }))
        assert.deepInclude(fields, { field: 'after', rule }, `${path} ${JSON.stringify(qs)}`)
      }
    }
  })

  test('a text search goes on past its window through the cursor', async ({ client, assert }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    await insertPublishedOffers(brand.user, TEXT_SEARCH_WINDOW + 5, 'Самокат')
    await insertPublishedOffers(brand.user, 3, 'Рюкзак')
    const matching = (await offerIdsNewestFirst()).slice(3)

    const inside = await assertLastPageOfWindow(assert, client, creator.token, 'самокат', matching)
    const after = inside.nextAfter
    assert.equal(after, matching[TEXT_SEARCH_WINDOW - 1])

    const beyond = await offersPage(client, creator.token, { q: 'самокат', after, perPage: 20 })
    assert.deepEqual(idsOf(beyond), matching.slice(TEXT_SEARCH_WINDOW))
    assert.include(beyond, { total: 5, totalIsExact: true, nextAfter: null })
  })

  test('the web feed shows an inexact page count with a plus, then the exact one at the end', async ({
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const size = 20 + TOTAL_LOOKAHEAD + 1
    await insertPublishedOffers(brand.user, size, 'Обзор')
    const agent = new WebAgent()
    await agent.signIn(creator.user)

    const pagesAhead = (20 + TOTAL_LOOKAHEAD) / 20
    const first = await agent.get('/offers')
    assert.equal(first.status, 200)
    assert.include(first.text, `Страница 1 из ${pagesAhead}+`)
    assert.include(first.html, 'page=2')

    const withCursor = await agent.get('/offers?page=2&after=1')
    assert.equal(withCursor.status, 200, 'a numbered web page ignores the API cursor')
    assert.include(withCursor.text, `Страница 2 из ${Math.ceil(size / 20)}`)

    const lastPage = Math.ceil(size / 20)
    const last = await agent.get(`/offers?page=${lastPage}`)
    assert.include(last.text, `Страница ${lastPage} из ${lastPage}`)
    assert.notInclude(last.text, `из ${lastPage}+`)
  })
})
