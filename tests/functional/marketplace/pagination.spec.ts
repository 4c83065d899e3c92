import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { SCANNED_PER_MATCH, TOTAL_LOOKAHEAD } from '#services/pagination'
import { searchTextOf, TEXT_SEARCH_WINDOW } from '#services/offers/search_text'
import { dbNow } from '#services/database/timestamps'
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

async function offerIdsNewestFirst() {
  const rows = await db.from('offers').select('id').orderBy('id', 'desc')
  return rows.map((row) => Number(row.id))
}

test.group('List paging', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
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
      const response = await client
        .get('/api/offers')
        .qs({ page, perPage: 20 })
        .bearerToken(brand.token)
      response.assertStatus(200)
      const data = response.body().data
      assert.equal(data.total, 45)
      assert.isTrue(data.totalIsExact)
      seen.push(...data.items.map((offer: { id: number }) => offer.id))
    }
    assert.deepEqual(seen, ids)
  })

  test('a page past the last match is empty and still tells the exact total', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, 45, 'Обзор')
    const response = await client
      .get('/api/offers')
      .qs({ page: 10, perPage: 20 })
      .bearerToken(brand.token)
    response.assertStatus(200)
    assert.deepEqual(response.body().data.items, [])
    assert.equal(response.body().data.total, 45)
    assert.isTrue(response.body().data.totalIsExact)
  })

  test('the total is exact up to the lookahead past the page, then marked inexact at its reach', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const reachOfFirstPage = 20 + TOTAL_LOOKAHEAD
    await insertPublishedOffers(brand.user, reachOfFirstPage, 'Обзор')
    const exact = await client.get('/api/offers').qs({ perPage: 20 }).bearerToken(brand.token)
    assert.equal(exact.body().data.total, reachOfFirstPage)
    assert.isTrue(exact.body().data.totalIsExact)

    await insertPublishedOffers(brand.user, 1, 'Обзор')
    const beyond = await client.get('/api/offers').qs({ perPage: 20 }).bearerToken(brand.token)
    assert.equal(beyond.body().data.total, reachOfFirstPage)
    assert.isFalse(beyond.body().data.totalIsExact)
  })

  test('deep pages are served, and the counted reach moves with the page until the end', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const size = 200 + TOTAL_LOOKAHEAD + 7
    await insertPublishedOffers(brand.user, size, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const pageOf = (page: number) =>
      client.get('/api/offers').qs({ page, perPage: 20 }).bearerToken(brand.token)

    const first = (await pageOf(1)).body().data
    assert.equal(first.total, 20 + TOTAL_LOOKAHEAD)
    assert.isFalse(first.totalIsExact)

    const tenth = (await pageOf(10)).body().data
    assert.equal(tenth.total, 200 + TOTAL_LOOKAHEAD)
    assert.isFalse(tenth.totalIsExact)
    assert.deepEqual(
      tenth.items.map((offer: { id: number }) => offer.id),
      ids.slice(180, 200)
    )

    const lastPage = Math.ceil(size / 20)
    const last = (await pageOf(lastPage)).body().data
    assert.equal(last.total, size)
    assert.isTrue(last.totalIsExact)
    assert.deepEqual(
      last.items.map((offer: { id: number }) => offer.id),
      ids.slice((lastPage - 1) * 20)
    )
  })

  test('a deep page holds the rows at its offset, newest first', async ({ client, assert }) => {
    const brand = await party('brand')
    const depth = 1000
    const size = depth + 30
    await insertPublishedOffers(brand.user, size, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const page = depth / 20 + 1
    const response = await client
      .get('/api/offers')
      .qs({ page, perPage: 20 })
      .bearerToken(brand.token)
    response.assertStatus(200)
    const data = response.body().data
    assert.deepEqual(
      data.items.map((offer: { id: number }) => offer.id),
      ids.slice(depth, depth + 20)
    )
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

    const first = await client.get('/api/offers').qs({ q: 'самокат' }).bearerToken(creator.token)
    assert.equal(first.body().data.total, 40, 'a search counts one page ahead')
    assert.isFalse(first.body().data.totalIsExact)

    const lastInWindow = TEXT_SEARCH_WINDOW / 20
    const inside = await client
      .get('/api/offers')
      .qs({ q: 'самокат', page: lastInWindow, perPage: 20 })
      .bearerToken(creator.token)
    inside.assertStatus(200)
    assert.equal(inside.body().data.total, TEXT_SEARCH_WINDOW)
    assert.isFalse(inside.body().data.totalIsExact)
    assert.deepEqual(
      inside.body().data.items.map((offer: { id: number }) => offer.id),
      matching.slice(TEXT_SEARCH_WINDOW - 20, TEXT_SEARCH_WINDOW)
    )

    const beyond = await client
      .get('/api/offers')
      .qs({ q: 'самокат', page: lastInWindow + 1, perPage: 20 })
      .bearerToken(creator.token)
    beyond.assertStatus(200)
    assert.deepEqual(beyond.body().data.items, [])

    const rare = await client.get('/api/offers').qs({ q: 'рюкзак' }).bearerToken(creator.token)
    assert.equal(rare.body().data.total, 3)
    assert.isTrue(rare.body().data.totalIsExact)
  })

  test('a word too rare among the newest offers is found in older ones too, newest first', async ({
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
      client.get('/api/offers').qs({ q: 'рюкзак', page, perPage: 20 }).bearerToken(creator.token)

    const seen: number[] = []
    for (const page of [1, 2]) {
      const data = (await pageOf(page)).body().data
      assert.equal(data.total, 30)
      assert.isTrue(data.totalIsExact)
      seen.push(...data.items.map((offer: { id: number }) => offer.id))
    }
    assert.deepEqual(seen, matching)
  })

  test('a deep page of a word in one offer of five is served from the newest offers, in order', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const creator = await party('creator')
    const size = 2 * SCANNED_PER_MATCH * (TEXT_SEARCH_WINDOW + 1)
    await insertPublishedOffers(brand.user, size, (index) =>
      index % 5 === 0 ? `Рюкзак ${index}` : `Обзор ${index}`
    )
    const ids = await offerIdsNewestFirst()
    const matching = ids.filter((_, newness) => (size - 1 - newness) % 5 === 0)
    const lastInWindow = TEXT_SEARCH_WINDOW / 20

    const response = await client
      .get('/api/offers')
      .qs({ q: 'рюкзак', page: lastInWindow, perPage: 20 })
      .bearerToken(creator.token)
    const data = response.body().data
    assert.equal(data.total, TEXT_SEARCH_WINDOW)
    assert.isFalse(data.totalIsExact)
    assert.deepEqual(
      data.items.map((offer: { id: number }) => offer.id),
      matching.slice(TEXT_SEARCH_WINDOW - 20, TEXT_SEARCH_WINDOW)
    )
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
      client.get('/api/offers').qs({ q, page, perPage: 20 }).bearerToken(creator.token)

    for (const q of ['50%', 'a_b']) {
      const walked = (await search(q, 1)).body().data
      assert.isFalse(walked.totalIsExact)
      assert.lengthOf(walked.items, 20)
      for (const offer of walked.items) {
        assert.include(offer.title, q)
      }

      const lookedUp = (await search(q, 3)).body().data
      assert.equal(lookedUp.total, 45)
      assert.isTrue(lookedUp.totalIsExact)
      assert.lengthOf(lookedUp.items, 5)
      for (const offer of lookedUp.items) {
        assert.include(offer.title, q)
      }
    }
  })

  test('cursor pages (after) tile a list as numbered pages do, and nextAfter ends with the list', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, 45, 'Обзор')
    const ids = await offerIdsNewestFirst()
    const list = (qs: Record<string, number>) =>
      client.get('/api/offers').qs(qs).bearerToken(brand.token)

    const first = (await list({ perPage: 20 })).body().data
    assert.equal(first.nextAfter, ids[19])
    const seen = first.items.map((offer: { id: number }) => offer.id)
    let after = first.nextAfter
    const totals: number[] = []
    while (after !== null) {
      const response = await list({ after, perPage: 20 })
      response.assertStatus(200)
      const data = response.body().data
      assert.isNull(data.page)
      totals.push(data.total)
      seen.push(...data.items.map((offer: { id: number }) => offer.id))
      after = data.nextAfter
    }
    assert.deepEqual(seen, ids)
    assert.deepEqual(totals, [25, 5], 'a cursor page counts the matches after its cursor')

    const numberedLast = (await list({ page: 3, perPage: 20 })).body().data
    assert.isNull(numberedLast.nextAfter)
    const pastTheEnd = (await list({ after: ids[44], perPage: 20 })).body().data
    assert.deepEqual(pastTheEnd.items, [])
    assert.include(pastTheEnd, { total: 0, totalIsExact: true, nextAfter: null })
  })

  test('a cursor with a page number, or a cursor that is not an id, is a validation error', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ after: 5, page: 2 }, 'withoutPage'],
      [{ after: 0 }, 'min'],
      [{ after: 'abc' }, 'number'],
      [{ after: 1.5 }, 'withoutDecimals'],
      [{ after: 3_000_000_000 }, 'max'],
    ]
    for (const [qs, rule] of cases) {
      for (const path of ['/api/offers', '/api/notifications', '/api/ledger']) {
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
    const lastInWindow = TEXT_SEARCH_WINDOW / 20

    const inside = await client
      .get('/api/offers')
      .qs({ q: 'самокат', page: lastInWindow, perPage: 20 })
      .bearerToken(creator.token)
    const after = inside.body().data.nextAfter
    assert.equal(after, matching[TEXT_SEARCH_WINDOW - 1])

    const beyond = await client
      .get('/api/offers')
      .qs({ q: 'самокат', after, perPage: 20 })
      .bearerToken(creator.token)
    beyond.assertStatus(200)
    assert.deepEqual(
      beyond.body().data.items.map((offer: { id: number }) => offer.id),
      matching.slice(TEXT_SEARCH_WINDOW)
    )
    assert.include(beyond.body().data, { total: 5, totalIsExact: true, nextAfter: null })
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
