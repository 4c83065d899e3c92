import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { TOTAL_COUNT_CAP } from '#services/pagination'
import { TEXT_SEARCH_WINDOW } from '#services/offers/list_offers'
import { searchTextOf } from '#services/offers/search_text'
import { dbNow } from '#services/database/timestamps'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party } from '#tests/support/marketplace'

/**
 * Inserts published offers in bulk: building ten thousand through the
 * services would take minutes.
 */
async function insertPublishedOffers(brand: User, count: number, title: string) {
  const now = dbNow()
  const rows = Array.from({ length: count }, (_, index) => ({
    brand_id: brand.id,
    title: `${title} ${index}`,
    brief: 'Короткое видео',
    search_text: searchTextOf(`${title} ${index}`, 'Короткое видео'),
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

  test('past the count cap the total stays at the cap, is marked inexact, and deep pages are served', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    await insertPublishedOffers(brand.user, TOTAL_COUNT_CAP + 1, 'Обзор')
    const ids = await offerIdsNewestFirst()

    const first = await client.get('/api/offers').qs({ perPage: 100 }).bearerToken(brand.token)
    first.assertStatus(200)
    assert.equal(first.body().data.total, TOTAL_COUNT_CAP)
    assert.isFalse(first.body().data.totalIsExact)

    const lastPage = TOTAL_COUNT_CAP / 100 + 1
    const last = await client
      .get('/api/offers')
      .qs({ page: lastPage, perPage: 100 })
      .bearerToken(brand.token)
    last.assertStatus(200)
    assert.deepEqual(
      last.body().data.items.map((offer: { id: number }) => offer.id),
      ids.slice(TOTAL_COUNT_CAP)
    )
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
})
