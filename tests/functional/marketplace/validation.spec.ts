import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import Notification from '#models/notification'
import { MAX_BUDGET } from '#validators/offer'
import { submitWork } from '#services/deals/submit_work'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  as,
  dealIn,
  draftOffer,
  OFFER_INPUT,
  party,
  pendingInvite,
  publishedOffer,
  tokenOf,
  userOf,
} from '#tests/support/marketplace'

/**
 * What a refused request must leave as it was: the row count of every
 * table (offers, applications, invites, deal_submissions, outbox_events and
 * the rest), and the rows of the marketplace tables themselves.
 */
async function snapshot() {
  const connection = db.connection()
  const isPostgres = connection.dialect.name === 'postgres'
  const tables = await connection.getAllTables(isPostgres ? ['public'] : undefined)
  const counts: Record<string, number> = {}
  for (const table of tables.filter((name) => !name.startsWith('adonis_schema')).sort()) {
    const row = await connection.from(table).count('* as total').first()
    counts[table] = Number(row.total)
  }
  const rows = (table: string, columns: string[]) =>
    db.from(table).select(columns).orderBy('id', 'asc')
  return {
    counts,
    offers: await rows('offers', ['id', 'status', 'title', 'brief', 'budget', 'deadline']),
    applications: await rows('applications', ['id', 'status', 'message']),
    invites: await rows('invites', ['id', 'status', 'message']),
    deals: await rows('deals', ['id', 'status']),
    submissions: await rows('deal_submissions', ['id', 'url', 'note', 'change_request']),
    notifications: readFlags(await rows('notifications', ['id', 'read_at'])),
  }
}

function readFlags(notifications: Array<{ id: number | string; read_at: unknown }>) {
  return notifications.map((row) => ({ id: Number(row.id), read: row.read_at !== null }))
}

type Method = 'get' | 'post' | 'patch'

function send(
  client: ApiClient,
  method: Method,
  path: string,
  token: string,
  body?: Record<string, unknown>
) {
  if (method === 'get') {
    return client.get(path).bearerToken(token)
  }
  const request = (method === 'patch' ? client.patch(path) : client.post(path)).bearerToken(token)
  return body ? request.json(body) : request
}

function fieldNames(error: { fields?: Array<{ field: string }> }) {
  return (error.fields ?? []).map((f) => f.field).sort()
}

// ---------------------------------------------------------------- scenes

/**
 * The rightful caller of a route and a record in the state the route wants,
 * so that the body or the query is the only thing wrong.
 */
type Scene = { path: string; token: string; creatorId: number }

const SCENES: Record<string, () => Promise<Scene>> = {
  'POST /api/offers': async () => ({
    path: '/api/offers',
    token: await tokenOf('brand'),
    creatorId: 0,
  }),
  'PATCH /api/offers/:id': async () => {
    const brand = await party('brand')
    const offer = await draftOffer(brand.user)
    return { path: `/api/offers/${offer.id}`, token: brand.token, creatorId: 0 }
  },
  'POST /api/offers/:id/applications': async () => {
    const offer = await publishedOffer(await userOf('brand'))
    return {
      path: `/api/offers/${offer.id}/applications`,
      token: await tokenOf('creator'),
      creatorId: 0,
    }
  },
  'POST /api/offers/:id/invites': async () => {
    const brand = await party('brand')
    const offer = await publishedOffer(brand.user)
    const creator = await userOf('creator')
    return { path: `/api/offers/${offer.id}/invites`, token: brand.token, creatorId: creator.id }
  },
  'POST /api/deals/:id/submit': async () => {
    const creator = await party('creator')
    const deal = await dealIn('funded', await userOf('brand'), creator.user)
    return { path: `/api/deals/${deal.id}/submit`, token: creator.token, creatorId: 0 }
  },
  'POST /api/deals/:id/request-changes': async () => {
    const brand = await party('brand')
    const creator = await userOf('creator')
    const deal = await dealIn('funded', brand.user, creator)
    await submitWork(as(creator), deal, { url: 'https://video.example/1' })
    return { path: `/api/deals/${deal.id}/request-changes`, token: brand.token, creatorId: 0 }
  },
  'GET /api/offers': async () => {
    const brand = await party('brand')
    await draftOffer(brand.user)
    return { path: '/api/offers', token: brand.token, creatorId: 0 }
  },
  'GET /api/applications': async () => ({
    path: '/api/applications',
    token: await tokenOf('brand'),
    creatorId: 0,
  }),
  'GET /api/invites': async () => ({
    path: '/api/invites',
    token: await tokenOf('creator'),
    creatorId: 0,
  }),
  'GET /api/deals': async () => ({
    path: '/api/deals',
    token: await tokenOf('brand'),
    creatorId: 0,
  }),
  'GET /api/notifications': async () => ({
    path: '/api/notifications',
    token: await tokenOf('creator'),
    creatorId: 0,
  }),
}

// ----------------------------------------------------------------- cases

type Body = Record<string, unknown> | ((scene: Scene) => Record<string, unknown>)

type Case = {
  route: string
  what: string
  /** JSON body, for writes. */
  body?: Body
  /** Raw query string, for lists. */
  query?: string
  /** Exactly the fields `error.fields` must name. */
  fields: string[]
}

const yesterday = () => DateTime.now().minus({ days: 1 }).toISODate()!
const long = (length: number) => 'x'.repeat(length)
const OFFER = { ...OFFER_INPUT }

const CASES: Case[] = [
  // POST /api/offers
  { route: 'POST /api/offers', what: 'empty body', body: {}, fields: ['title', 'brief', 'budget'] },
  {
    route: 'POST /api/offers',
    what: 'budget as a string',
    body: { ...OFFER, budget: '1000' },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget 0',
    body: { ...OFFER, budget: 0 },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget -5',
    body: { ...OFFER, budget: -5 },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget 10.5',
    body: { ...OFFER, budget: 10.5 },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget above the cap',
    body: { ...OFFER, budget: MAX_BUDGET + 1 },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget null',
    body: { ...OFFER, budget: null },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'budget true',
    body: { ...OFFER, budget: true },
    fields: ['budget'],
  },
  {
    route: 'POST /api/offers',
    what: 'title too short',
    body: { ...OFFER, title: 'ab' },
    fields: ['title'],
  },
  {
    route: 'POST /api/offers',
    what: 'title too long',
    body: { ...OFFER, title: long(121) },
    fields: ['title'],
  },
  {
    route: 'POST /api/offers',
    what: 'title as a number',
    body: { ...OFFER, title: 12345 },
    fields: ['title'],
  },
  {
    route: 'POST /api/offers',
    what: 'brief only spaces',
    body: { ...OFFER, brief: '   ' },
    fields: ['brief'],
  },
  {
    route: 'POST /api/offers',
    what: 'brief too long',
    body: { ...OFFER, brief: long(5001) },
    fields: ['brief'],
  },
  {
    route: 'POST /api/offers',
    what: 'deadline in the past',
    body: { ...OFFER, deadline: '2000-01-01' },
    fields: ['deadline'],
  },
  {
    route: 'POST /api/offers',
    what: 'deadline yesterday',
    body: () => ({ ...OFFER, deadline: yesterday() }),
    fields: ['deadline'],
  },
  {
    route: 'POST /api/offers',
    what: 'deadline not YYYY-MM-DD',
    body: { ...OFFER, deadline: '31.12.2099' },
    fields: ['deadline'],
  },
  {
    route: 'POST /api/offers',
    what: 'deadline an impossible date',
    body: { ...OFFER, deadline: '2099-02-30' },
    fields: ['deadline'],
  },
  {
    route: 'POST /api/offers',
    what: 'currency other than RUB',
    body: { ...OFFER, currency: 'USD' },
    fields: ['currency'],
  },
  {
    route: 'POST /api/offers',
    what: 'every field wrong at once',
    body: { title: 1, brief: '', budget: '1000', currency: 'EUR', deadline: '2000-01-01' },
    fields: ['title', 'brief', 'budget', 'currency', 'deadline'],
  },

  // PATCH /api/offers/:id
  {
    route: 'PATCH /api/offers/:id',
    what: 'budget as a string',
    body: { budget: '1000' },
    fields: ['budget'],
  },
  { route: 'PATCH /api/offers/:id', what: 'budget 0', body: { budget: 0 }, fields: ['budget'] },
  { route: 'PATCH /api/offers/:id', what: 'budget -5', body: { budget: -5 }, fields: ['budget'] },
  {
    route: 'PATCH /api/offers/:id',
    what: 'budget 10.5',
    body: { budget: 10.5 },
    fields: ['budget'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'title too long',
    body: { title: long(121) },
    fields: ['title'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'budget null',
    body: { budget: null },
    fields: ['budget'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'brief only spaces',
    body: { brief: '   ' },
    fields: ['brief'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'brief empty',
    body: { brief: '' },
    fields: ['brief'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'brief too long',
    body: { brief: long(5001) },
    fields: ['brief'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'deadline in the past',
    body: { deadline: '2000-01-01' },
    fields: ['deadline'],
  },
  {
    route: 'PATCH /api/offers/:id',
    what: 'several fields wrong, one right',
    body: { title: 'ab', brief: 'Новое описание', budget: -1, deadline: '2000-01-01' },
    fields: ['title', 'budget', 'deadline'],
  },

  // POST /api/offers/:id/applications
  {
    route: 'POST /api/offers/:id/applications',
    what: 'message too long',
    body: { message: long(2001) },
    fields: ['message'],
  },
  {
    route: 'POST /api/offers/:id/applications',
    what: 'message as a number',
    body: { message: 42 },
    fields: ['message'],
  },
  {
    route: 'POST /api/offers/:id/applications',
    what: 'message as an object',
    body: { message: { text: 'Готов' } },
    fields: ['message'],
  },

  // POST /api/offers/:id/invites
  { route: 'POST /api/offers/:id/invites', what: 'empty body', body: {}, fields: ['creatorId'] },
  {
    route: 'POST /api/offers/:id/invites',
    what: "a real creator's id as a string",
    body: (scene) => ({ creatorId: String(scene.creatorId) }),
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'creatorId 0',
    body: { creatorId: 0 },
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'creatorId -5',
    body: { creatorId: -5 },
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'creatorId 1.5',
    body: { creatorId: 1.5 },
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'creatorId beyond the integer range',
    body: { creatorId: 2_147_483_648 },
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'creatorId null',
    body: { creatorId: null },
    fields: ['creatorId'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'message too long',
    body: (scene) => ({ creatorId: scene.creatorId, message: long(2001) }),
    fields: ['message'],
  },
  {
    route: 'POST /api/offers/:id/invites',
    what: 'both fields wrong',
    body: { creatorId: 'seven', message: long(2001) },
    fields: ['creatorId', 'message'],
  },

  // POST /api/deals/:id/submit
  { route: 'POST /api/deals/:id/submit', what: 'empty body', body: {}, fields: ['url'] },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'an ftp URL',
    body: { url: 'ftp://files.example/video.mp4' },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'a javascript: URL',
    body: { url: 'javascript:alert(1)' },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'a URL without a scheme',
    body: { url: 'video.example/1' },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'not a URL',
    body: { url: 'моё видео' },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'URL too long',
    body: { url: `https://video.example/${long(2000)}` },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'URL as a number',
    body: { url: 12345 },
    fields: ['url'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'note too long',
    body: { url: 'https://video.example/1', note: long(2001) },
    fields: ['note'],
  },
  {
    route: 'POST /api/deals/:id/submit',
    what: 'both fields wrong',
    body: { url: 'ftp://files.example/1', note: 7 },
    fields: ['url', 'note'],
  },

  // POST /api/deals/:id/request-changes
  {
    route: 'POST /api/deals/:id/request-changes',
    what: 'empty body',
    body: {},
    fields: ['reason'],
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    what: 'reason only spaces',
    body: { reason: '   ' },
    fields: ['reason'],
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    what: 'reason too long',
    body: { reason: long(2001) },
    fields: ['reason'],
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    what: 'reason as a number',
    body: { reason: 42 },
    fields: ['reason'],
  },

  // list queries
  { route: 'GET /api/offers', what: 'perPage 1000', query: 'perPage=1000', fields: ['perPage'] },
  { route: 'GET /api/offers', what: 'perPage 0', query: 'perPage=0', fields: ['perPage'] },
  { route: 'GET /api/offers', what: 'page 0', query: 'page=0', fields: ['page'] },
  { route: 'GET /api/offers', what: 'page -1', query: 'page=-1', fields: ['page'] },
  { route: 'GET /api/offers', what: 'page 1.5', query: 'page=1.5', fields: ['page'] },
  { route: 'GET /api/offers', what: 'page abc', query: 'page=abc', fields: ['page'] },
  {
    route: 'GET /api/offers',
    what: 'unknown status',
    query: 'status=archived',
    fields: ['status'],
  },
  { route: 'GET /api/offers', what: 'empty q', query: 'q=', fields: ['q'] },
  { route: 'GET /api/offers', what: 'q too long', query: `q=${long(101)}`, fields: ['q'] },
  {
    route: 'GET /api/offers',
    what: 'everything wrong at once',
    query: 'page=0&perPage=101&status=nope&q=',
    fields: ['page', 'perPage', 'status', 'q'],
  },
  {
    route: 'GET /api/applications',
    what: 'unknown status, offerId abc',
    query: 'status=nope&offerId=abc',
    fields: ['status', 'offerId'],
  },
  { route: 'GET /api/applications', what: 'offerId 0', query: 'offerId=0', fields: ['offerId'] },
  {
    route: 'GET /api/applications',
    what: 'offerId 1.5',
    query: 'offerId=1.5',
    fields: ['offerId'],
  },
  { route: 'GET /api/invites', what: 'unknown status', query: 'status=nope', fields: ['status'] },
  {
    route: 'GET /api/invites',
    what: 'page 0, perPage abc',
    query: 'page=0&perPage=abc',
    fields: ['page', 'perPage'],
  },
  {
    route: 'GET /api/deals',
    what: 'unknown status, perPage 101',
    query: 'status=nope&perPage=101',
    fields: ['status', 'perPage'],
  },
  {
    route: 'GET /api/notifications',
    what: 'unread maybe',
    query: 'unread=maybe',
    fields: ['unread'],
  },
  {
    route: 'GET /api/notifications',
    what: 'unread maybe, page 0',
    query: 'unread=maybe&page=0',
    fields: ['unread', 'page'],
  },
]

const VALIDATION_ROWS = CASES.map((c) => ({
  ...c,
  toString: () => `${c.route}: ${c.what} → 422 [${c.fields.join(', ')}]`,
}))

/**
 * Every route that reads a body or a query, as the router knows it.
 */
const VALIDATED_ROUTES = [
  'POST /api/offers',
  'PATCH /api/offers/:id',
  'POST /api/offers/:id/applications',
  'POST /api/offers/:id/invites',
  'POST /api/deals/:id/submit',
  'POST /api/deals/:id/request-changes',
  'GET /api/offers',
  'GET /api/applications',
  'GET /api/invites',
  'GET /api/deals',
  'GET /api/notifications',
]

function methodOf(route: string) {
  return route.split(' ')[0].toLowerCase() as Method
}

/**
 * The marketplace's routes as the router knows them: offers, applications,
 * invites, deals, notifications.
 */
function routerRoutes() {
  const marketplace = /^\/api\/(offers|applications|invites|deals|notifications)(\/|$)/
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => marketplace.test(route.pattern))
    .flatMap((route) =>
      route.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${route.pattern}`)
    )
}

test.group('marketplace validation: bodies and queries', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('every validated route has cases, and every route with cases exists', ({ assert }) => {
    const routes = routerRoutes()
    for (const route of VALIDATED_ROUTES) {
      assert.include(routes, route)
      assert.isTrue(
        CASES.some((c) => c.route === route),
        `no validation case for ${route}`
      )
    }
    assert.sameMembers([...new Set(CASES.map((c) => c.route))], VALIDATED_ROUTES)
  })

  test('{$self}')
    .with(VALIDATION_ROWS)
    .run(async ({ client, assert }, row) => {
      const scene = await SCENES[row.route]()
      const body = typeof row.body === 'function' ? row.body(scene) : row.body
      const path = row.query === undefined ? scene.path : `${scene.path}?${row.query}`
      const before = await snapshot()

      const response = await send(client, methodOf(row.route), path, scene.token, body)

      assert.equal(response.status(), 422, JSON.stringify(response.body()))
      const { error } = response.body()
      assert.equal(error.code, 'VALIDATION_ERROR')
      assert.deepEqual(fieldNames(error), [...row.fields].sort())
      for (const field of error.fields) {
        assert.isString(field.rule)
        assert.isString(field.message)
        assert.isNotEmpty(field.message)
      }
      assert.deepEqual(await snapshot(), before, 'the request changed nothing')
    })

  test('a valid body on each write route is accepted (the cases above fail only on purpose)', async ({
    client,
    assert,
  }) => {
    const valid: Record<string, Body> = {
      'POST /api/offers': { ...OFFER, currency: 'RUB', deadline: '2099-12-31' },
      'PATCH /api/offers/:id': {
        title: 'Новый заголовок',
        brief: 'Новое описание',
        budget: 1,
        deadline: DateTime.now().toISODate()!,
      },
      'POST /api/offers/:id/applications': { message: long(2000) },
      'POST /api/offers/:id/invites': (scene) => ({ creatorId: scene.creatorId, message: 'Ждём' }),
      'POST /api/deals/:id/submit': { url: 'http://video.example/1', note: long(2000) },
      'POST /api/deals/:id/request-changes': { reason: long(2000) },
    }
    for (const [route, spec] of Object.entries(valid)) {
      await truncateAll()
      const scene = await SCENES[route]()
      const body = typeof spec === 'function' ? spec(scene) : spec
      const response = await send(client, methodOf(route), scene.path, scene.token, body)
      assert.oneOf(response.status(), [200, 201], `${route}: ${JSON.stringify(response.body())}`)
    }
    for (const route of VALIDATED_ROUTES.filter((r) => r.startsWith('GET '))) {
      const scene = await SCENES[route]()
      const response = await send(client, 'get', `${scene.path}?page=1&perPage=100`, scene.token)
      assert.equal(response.status(), 200, route)
    }
  })

  test('validation runs after authorization: an invalid body is 403 or 404 to those who may not act', async ({
    client,
    assert,
  }) => {
    const creatorCreates = await client
      .post('/api/offers')
      .bearerToken(await tokenOf('creator'))
      .json({ budget: 'lots' })
    assert.equal(creatorCreates.status(), 403)
    assert.equal(creatorCreates.body().error.code, 'FORBIDDEN')

    const offer = await draftOffer(await userOf('brand'))
    const strangerEdits = await client
      .patch(`/api/offers/${offer.id}`)
      .bearerToken(await tokenOf('brand'))
      .json({ budget: 'lots' })
    assert.equal(strangerEdits.status(), 404)
    assert.equal(strangerEdits.body().error.code, 'NOT_FOUND')
  })
})

// -------------------------------------------------------------- not found

/**
 * Every route naming a record by id, with its rightful caller and a body
 * that would be valid.
 */
type Target = { role: 'brand' | 'creator'; body?: () => Promise<Record<string, unknown>> }

const ID_ROUTES: Record<string, Target> = {
  'GET /api/offers/:id': { role: 'brand' },
  'PATCH /api/offers/:id': { role: 'brand', body: async () => ({ budget: 7000 }) },
  'POST /api/offers/:id/publish': { role: 'brand' },
  'POST /api/offers/:id/close': { role: 'brand' },
  'POST /api/offers/:id/applications': {
    role: 'creator',
    body: async () => ({ message: 'Готов' }),
  },
  'POST /api/offers/:id/invites': {
    role: 'brand',
    body: async () => {
      const creator = await userOf('creator')
      return { creatorId: creator.id }
    },
  },
  'POST /api/applications/:id/withdraw': { role: 'creator' },
  'POST /api/applications/:id/approve': { role: 'brand' },
  'POST /api/applications/:id/reject': { role: 'brand' },
  'POST /api/invites/:id/accept': { role: 'creator' },
  'POST /api/invites/:id/decline': { role: 'creator' },
  'POST /api/invites/:id/withdraw': { role: 'brand' },
  'GET /api/deals/:id': { role: 'brand' },
  'POST /api/deals/:id/fund': { role: 'brand' },
  'POST /api/deals/:id/approve': { role: 'brand' },
  'POST /api/deals/:id/submit': {
    role: 'creator',
    body: async () => ({ url: 'https://video.example/1' }),
  },
  'POST /api/deals/:id/request-changes': {
    role: 'brand',
    body: async () => ({ reason: 'Добавьте логотип' }),
  },
  'POST /api/deals/:id/cancel': { role: 'brand' },
  'POST /api/notifications/:id/read': { role: 'creator' },
}

/**
 * Ids that name nothing: a free number, zero, and strings the route's
 * numeric matcher refuses.
 */
const UNKNOWN_IDS = ['999999', '0', 'abc', '-1', '1.5', '12abc']

const NOT_FOUND_ROWS = Object.keys(ID_ROUTES).map((route) => ({
  route,
  toString: () => `${route} with an unknown id → 404`,
}))

/**
 * Fills the database with one record of each kind, so an unknown id is
 * unknown among real rows, not in empty tables.
 */
async function populate() {
  const brand = await userOf('brand')
  const creator = await userOf('creator')
  await draftOffer(brand)
  const offer = await publishedOffer(brand)
  await pendingInvite(offer, creator)
  await dealIn('funded', brand, creator)
  await consumeOutboxBatch()
  return Notification.query().first()
}

test.group('marketplace validation: unknown ids', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('the list names every marketplace route with an :id', ({ assert }) => {
    assert.sameMembers(
      Object.keys(ID_ROUTES),
      routerRoutes().filter((route) => route.includes(':id'))
    )
  })

  test('{$self}')
    .with(NOT_FOUND_ROWS)
    .run(async ({ client, assert }, { route }) => {
      await populate()
      const target = ID_ROUTES[route]
      const token = await tokenOf(target.role)
      const body = await target.body?.()
      const before = await snapshot()

      for (const id of UNKNOWN_IDS) {
        const path = route.split(' ')[1].replace(':id', id)
        const response = await send(client, methodOf(route), path, token, body)
        assert.equal(response.status(), 404, `${path}: ${JSON.stringify(response.body())}`)
        assert.equal(response.body().error.code, 'NOT_FOUND', path)
        assert.isFalse(response.body().ok)
      }
      if (body) {
        const path = route.split(' ')[1].replace(':id', '999999')
        const invalid = Object.fromEntries(Object.keys(body).map((key) => [key, { bad: true }]))
        const response = await send(client, methodOf(route), path, token, invalid)
        assert.equal(response.status(), 404, `an invalid body to ${path} is still 404`)
        assert.equal(response.body().error.code, 'NOT_FOUND')
      }
      assert.deepEqual(await snapshot(), before, 'the requests changed nothing')
    })

  test('{$self}')
    .with(
      Object.keys(ID_ROUTES).map((route) => ({
        route,
        toString: () => `${route} with an id beyond the database integer range → 404`,
      }))
    )
    .run(async ({ client, assert }, { route }) => {
      await populate()
      const target = ID_ROUTES[route]
      const token = await tokenOf(target.role)
      const body = await target.body?.()
      const before = await snapshot()
      for (const id of ['2147483648', '99999999999', '99999999999999999999']) {
        const path = route.split(' ')[1].replace(':id', id)
        const response = await send(client, methodOf(route), path, token, body)
        assert.equal(response.status(), 404, `${path}: ${JSON.stringify(response.body())}`)
        assert.equal(response.body().error.code, 'NOT_FOUND', path)
      }
      assert.deepEqual(await snapshot(), before, 'the requests changed nothing')
    })

  test('an invite to a creator id that is unknown, or not a creator, is 404 and changes nothing', async ({
    client,
    assert,
  }) => {
    const brand = await party('brand')
    const offer = await publishedOffer(brand.user)
    const otherBrand = await userOf('brand')
    const admin = await userOf('admin')
    const before = await snapshot()
    for (const creatorId of [999999, brand.user.id, otherBrand.id, admin.id]) {
      const response = await client
        .post(`/api/offers/${offer.id}/invites`)
        .bearerToken(brand.token)
        .json({ creatorId })
      assert.equal(response.status(), 404, `creatorId ${creatorId}`)
      assert.equal(response.body().error.code, 'NOT_FOUND')
    }
    assert.deepEqual(await snapshot(), before)
  })

  test('a list filter by an id beyond the database integer range is not an internal error', async ({
    client,
    assert,
  }) => {
    const token = await tokenOf('brand')
    const response = await client.get('/api/applications?offerId=99999999999').bearerToken(token)
    assert.oneOf(response.status(), [200, 422], JSON.stringify(response.body()))
    assert.notEqual(response.body().error?.code, 'INTERNAL')
  })
})
