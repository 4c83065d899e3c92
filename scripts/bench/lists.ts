/*
|--------------------------------------------------------------------------
| bench:lists — latency of the list routes on a large PostgreSQL database
|--------------------------------------------------------------------------
|
| 1. creates a fresh database next to the admin database (PostgreSQL only),
|    runs the project's migrations on it and makes an admin with user:create;
| 2. seeds it with bulk SQL (INSERT … SELECT FROM generate_series): 100k
|    offers, 300k applications, 100k invites, 50k deals, 1M outbox events
|    and 1M notifications, then VACUUM ANALYZE;
| 3. starts the real server from the sources (ts-exec) on 127.0.0.1, waits
|    for /api/health, takes one Bearer token per user (brand, creator, admin);
| 4. measures every list route, first page and page 500, for the same time
|    each (4 s) with concurrent load, and the trivial authenticated route
|    GET /api/me before the first list and after every list; prints p50/p95
|    and each list's p95 ratio to the /api/me measured beside it (the smaller
|    p95 of the one before and the one after; target: ≤ 3×);
| 5. stops the server and drops the database, whatever happened.
|
| It is a benchmark, not a test: a missed target still exits 0. Only an
| error (a non-200 answer, a failed migration, a server that does not come
| up…) exits non-zero.
|
| Usage:
|   npm run bench:lists                      full size (the default)
|   npm run bench:lists -- --size tiny       1/1000 of the volume, few requests (CI)
|   npm run bench:lists -- --keep-db         leave the database behind, to EXPLAIN
|                                            queries on it (drop it yourself)
|
| Environment: BENCH_SIZE (tiny|full), BENCH_PORT (default: first free port
| from 3360), PG_HOST, PG_PORT, PG_USER, PG_ADMIN_DB (as in .ci/run:
| 127.0.0.1, 5432, postgres, test; trust authentication).
|
*/
import pg from 'pg'
import { TEXT_SEARCH_WINDOW } from '../../app/services/offers/search_text.ts'
import {
  childEnv,
  choosePort,
  createDatabase,
  databaseUrl,
  keepDatabasesAfterwards,
  log,
  loadAverage,
  machineLine,
  optionsFromArgs,
  percentile,
  PG_HOST,
  PG_PORT,
  printTable as printMarkdownTable,
  runAce,
  runBenchmark,
  serverTail,
  startServer,
  timed,
  type Size,
} from './support.ts'

type Volumes = {
  brands: number
  creators: number
  offers: number
  applications: number
  creatorApplications: number
  invites: number
  deals: number
  notifications: number
}

type Load = { seconds: number; warmup: number; concurrency: number }

type Who = 'brand' | 'creator' | 'admin'

/**
 * A list page is reached by its number (`page`, an OFFSET) or, for
 * `byCursor`, through the cursor of the page before it (`after`, read off
 * that page's `nextAfter` before the warm-up).
 */
type Route = {
  path: string
  who: Who
  page: number | null
  label: string
  byCursor?: boolean
  after?: number
}

type Result = {
  route: Route
  samples: number[]
  total: string | null
  seconds: number
}

/** A list's result and the /api/me p95 it is compared with. */
type MeasuredList = Result & { besideMe: number }

const BENCH_DB = `collab_bench_${process.pid}`
const DATABASE_URL = databaseUrl(BENCH_DB)
const PASSWORD = 'bench-password'
const EMAILS: Record<Who, string> = {
  admin: 'bench-admin@bench.collab',
  brand: 'bench-brand@bench.collab',
  creator: 'bench-creator@bench.collab',
}
// Offers' text filter: a common word (in ~20% of the offers) and a rare one
// (in 0.5%, and only inside a longer word, so an infix match).
const SEARCH_COMMON = 'рюкзак'
const SEARCH_RARE = 'самокат'
const SEEDED_TABLES = [
  'users',
  'offers',
  'applications',
  'invites',
  'deals',
  'outbox_events',
  'notifications',
]
const TARGET_RATIO = 3

const FULL: Volumes = {
  brands: 1_000,
  creators: 10_000,
  offers: 100_000,
  applications: 300_000,
  creatorApplications: 15_000,
  invites: 100_000,
  deals: 50_000,
  notifications: 1_000_000,
}

const TINY: Volumes = {
  brands: 2,
  creators: 10,
  offers: 100,
  applications: 300,
  creatorApplications: 15,
  invites: 100,
  deals: 50,
  notifications: 1_000,
}

const LOADS: Record<Size, Load> = {
  full: { seconds: 4, warmup: 1000, concurrency: 16 },
  tiny: { seconds: 0.2, warmup: 8, concurrency: 8 },
}

/*
| Database: create, migrate, seed
*/
/**
 * Every row is made by one INSERT … SELECT per table. Ids are explicit so
 * that the distribution below is plain arithmetic; the sequences are moved
 * past them at the end. Timestamps grow with the ids, as they would.
 *
 * - the bench brand owns every 10th offer, so ~10% of the offers,
 *   applications and invites;
 * - the bench creator has `creatorApplications` applications (ids 1…),
 *   every 5th invite, the deals of its applications (deals are made from
 *   applications 1…deals), and every 10th notification;
 * - everything else is spread evenly over the other brands and creators.
 */
function seedStatements(volumes: Volumes, ids: { brand: number; creator: number }): string[] {
  const v = volumes
  const brandBase = 1_000
  const creatorBase = 1_000_000
  const otherApplications = v.applications - v.creatorApplications
  const otherUsers = v.brands + v.creators
  if (v.creatorApplications > v.offers || v.creators < 3 || v.invites > v.offers) {
    throw new Error('inconsistent volumes')
  }
  if (v.deals > v.applications) {
    throw new Error('inconsistent volumes')
  }
  const brandOf = (g: string) =>
    `CASE WHEN ${g} % 10 = 0 THEN ${ids.brand} ELSE ${brandBase + 1} + (${g} % ${v.brands}) END`
  const userOf = (g: string) =>
    `CASE WHEN ${g} % ${otherUsers} < ${v.brands}
       THEN ${brandBase + 1} + (${g} % ${otherUsers})
       ELSE ${creatorBase + 1} + (${g} % ${otherUsers}) - ${v.brands} END`
  const ago = (count: number, g: string, unit: number) =>
    `now() - make_interval(secs => (${count} - ${g}) * ${unit})`

  return [
    `INSERT INTO users (id, email, password, role, display_name, created_at, updated_at)
     SELECT u.id, u.email, admin.password, u.role, u.name, now() - interval '400 days', now() - interval '400 days'
     FROM (SELECT password FROM users WHERE email = '${EMAILS.admin}') admin
     CROSS JOIN (
       SELECT ${ids.brand} AS id, '${EMAILS.brand}' AS email, 'brand' AS role, 'Бренд (бенчмарк)' AS name
       UNION ALL SELECT ${ids.creator}, '${EMAILS.creator}', 'creator', 'Автор (бенчмарк)'
       UNION ALL SELECT ${brandBase} + g, 'brand-' || g || '@bench.collab', 'brand', 'Бренд ' || g
         FROM generate_series(1, ${v.brands}) g
       UNION ALL SELECT ${creatorBase} + g, 'creator-' || g || '@bench.collab', 'creator', 'Автор ' || g
         FROM generate_series(1, ${v.creators}) g
     ) u`,

    `INSERT INTO offers (id, brand_id, title, brief, search_text, budget, currency, deadline,
                         status, published_at, closed_at, created_at, updated_at)
     SELECT g, ${brandOf('g')}, t.title, t.brief, lower(t.title || E'\\n' || t.brief),
            100000 + (g % 50) * 10000, 'RUB', NULL, x.status,
            CASE WHEN x.status <> 'draft' THEN x.at END,
            CASE WHEN x.status = 'closed' THEN x.at + interval '1 day' END,
            x.at, x.at
     FROM generate_series(1, ${v.offers}) g
     CROSS JOIN LATERAL (SELECT
       ${ago(v.offers, 'g', 60)} AS at,
       CASE WHEN g % 7 = 0 THEN 'draft' WHEN g % 7 = 1 THEN 'closed' ELSE 'published' END AS status,
       CASE WHEN g % 200 = 7 THEN 'электросамокат'
            ELSE (ARRAY['рюкзак', 'кроссовки', 'наушники', 'смартфон', 'термос'])[1 + g % 5] END AS product,
       (ARRAY['Обзор', 'Распаковка', 'Тест-драйв', 'Интеграция'])[1 + g % 4] AS format
     ) x
     CROSS JOIN LATERAL (SELECT
       x.format || ': ' || x.product || ' № ' || g AS title,
       'Нужно снять короткое вертикальное видео (30–60 секунд) о товаре «' || x.product
         || '»: распаковка, первые впечатления и пара сценариев использования. Сценарий '
         || 'согласуем заранее, публикация в течение недели после получения товара. '
         || 'Техническое задание № ' || g || ', партия ' || (g % 97) || '.' AS brief
     ) t`,

    `INSERT INTO applications (id, offer_id, creator_id, brand_id, message, status, created_at, updated_at)
     SELECT g, o.id, ${ids.creator}, o.brand_id, 'Хочу участвовать, готов снять за неделю',
            CASE WHEN g <= ${v.deals} THEN 'approved' ELSE 'pending' END,
            ${ago(v.applications, 'g', 20)}, ${ago(v.applications, 'g', 20)}
     FROM generate_series(1, ${v.creatorApplications}) g
     JOIN offers o ON o.id = g`,

    `INSERT INTO applications (id, offer_id, creator_id, brand_id, message, status, created_at, updated_at)
     SELECT ${v.creatorApplications} + 1 + g, o.id,
            ${creatorBase + 1} + ((g % ${v.offers} + g / ${v.offers}) % ${v.creators}),
            o.brand_id, CASE WHEN g % 3 = 0 THEN NULL ELSE 'Интересно, есть похожие работы' END,
            CASE WHEN ${v.creatorApplications} + 1 + g <= ${v.deals} THEN 'approved'
                 WHEN g % 5 = 0 THEN 'rejected' WHEN g % 11 = 0 THEN 'withdrawn'
                 ELSE 'pending' END,
            ${ago(v.applications, `(${v.creatorApplications} + 1 + g)`, 20)},
            ${ago(v.applications, `(${v.creatorApplications} + 1 + g)`, 20)}
     FROM generate_series(0, ${otherApplications - 1}) g
     JOIN offers o ON o.id = g % ${v.offers} + 1`,

    `INSERT INTO invites (id, offer_id, creator_id, brand_id, message, status, expires_at, created_at, updated_at)
     SELECT g, o.id,
            CASE WHEN g % 5 = 0 THEN ${ids.creator} ELSE ${creatorBase + 1} + (g % ${v.creators}) END,
            o.brand_id, 'Приглашаем снять обзор',
            (ARRAY['pending', 'accepted', 'declined', 'withdrawn', 'expired'])[1 + (g / 5) % 5],
            ${ago(v.invites, 'g', 60)} + interval '7 days',
            ${ago(v.invites, 'g', 60)}, ${ago(v.invites, 'g', 60)}
     FROM generate_series(1, ${v.invites}) g
     JOIN offers o ON o.id = g`,

    `INSERT INTO deals (id, offer_id, brand_id, creator_id, application_id, invite_id, amount,
                        currency, status, created_at, updated_at)
     SELECT a.id, a.offer_id, a.brand_id, a.creator_id, a.id, NULL, o.budget, 'RUB',
            (ARRAY['awaiting_funding', 'funded', 'submitted', 'completed', 'cancelled', 'refunded'])[1 + a.id % 6],
            a.created_at + interval '1 hour', a.created_at + interval '1 hour'
     FROM applications a JOIN offers o ON o.id = a.offer_id
     WHERE a.id <= ${v.deals}`,

    `INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, payload, meta, status,
                                attempts, next_attempt_at, created_at, processed_at)
     SELECT g, 'application.submitted', 'application', 1 + g % ${v.applications},
            json_build_object('applicationId', 1 + g % ${v.applications}, 'offerId', 1 + g % ${v.offers},
                              'brandId', ${brandBase + 1}, 'creatorId', ${creatorBase + 1})::text,
            '{"requestId":null,"actorId":null}', 'done', 1,
            ${ago(v.notifications, 'g', 6)}, ${ago(v.notifications, 'g', 6)}, ${ago(v.notifications, 'g', 6)}
     FROM generate_series(1, ${v.notifications}) g`,

    `INSERT INTO notifications (id, user_id, event_id, type, payload, telegram, read_at, created_at)
     SELECT g, CASE WHEN g % 10 = 0 THEN ${ids.creator} ELSE ${userOf('g')} END, g, x.type,
            json_build_object('applicationId', 1 + g % ${v.applications}, 'offerId', 1 + g % ${v.offers},
                              'brandId', ${brandBase + 1}, 'creatorId', ${creatorBase + 1})::text,
            g % 2 = 0, CASE WHEN g % 3 <> 0 THEN ${ago(v.notifications, 'g', 6)} + interval '1 hour' END,
            ${ago(v.notifications, 'g', 6)}
     FROM generate_series(1, ${v.notifications}) g
     CROSS JOIN LATERAL (SELECT (ARRAY['application_received', 'application_approved', 'invite_received',
                                       'deal_created', 'work_submitted', 'payment_released'])[1 + g % 6] AS type) x`,

    ...SEEDED_TABLES.map(
      (table) =>
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`
    ),
  ]
}

async function seed(volumes: Volumes) {
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  try {
    // The VACUUM below must find every page all-visible, as it would be on
    // a settled database, so that counts can use index-only scans. Two
    // things would keep it from that: an autovacuum ANALYZE running
    // meanwhile (its snapshot), so autovacuum is off for the seed; and
    // asynchronous commit (hint bits wait for the WAL flush), so the
    // session keeps the default synchronous_commit.
    for (const table of SEEDED_TABLES) {
      await client.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`)
    }
    const ids = { brand: 2, creator: 3 }
    const statements = seedStatements(volumes, ids)
    const names = [
      'users',
      'offers',
      'applications (bench creator)',
      'applications (others)',
      'invites',
      'deals',
      'outbox_events',
      'notifications',
    ]
    for (const [index, sql] of statements.entries()) {
      const name = names[index]
      if (name) {
        await timed(`seed ${name}`, () => client.query(sql))
      } else {
        await client.query(sql)
      }
    }
    await timed('VACUUM ANALYZE', () => client.query('VACUUM ANALYZE'))
    // The seed and the VACUUM leave ~1 GB of WAL and dirty pages: without a
    // checkpoint here, the next one writes them out during the first
    // minutes of the measurements and slows whatever runs then.
    await timed('CHECKPOINT', () => client.query('CHECKPOINT'))
    for (const table of SEEDED_TABLES) {
      await client.query(`ALTER TABLE ${table} RESET (autovacuum_enabled)`)
    }
    const visibility = await client.query(
      `SELECT relname, relpages, relallvisible FROM pg_class
       WHERE relname = ANY($1) AND relkind = 'r' ORDER BY relname`,
      [SEEDED_TABLES]
    )
    log(
      `  all-visible pages: ${visibility.rows
        .map((row) => `${row.relname} ${row.relallvisible}/${row.relpages}`)
        .join(', ')}`
    )
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM offers) AS offers,
              (SELECT count(*) FROM applications) AS applications, (SELECT count(*) FROM invites) AS invites,
              (SELECT count(*) FROM deals) AS deals, (SELECT count(*) FROM outbox_events) AS outbox_events,
              (SELECT count(*) FROM notifications) AS notifications`
    )
    log(
      `  rows: ${Object.entries(rows[0])
        .map(([table, count]) => `${table} ${Number(count).toLocaleString('en-US')}`)
        .join(', ')}`
    )
    const version = await client.query('SHOW server_version')
    return String(version.rows[0].server_version)
  } finally {
    await client.end()
  }
}

async function tokenFor(baseUrl: string, who: Who): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAILS[who], password: PASSWORD, name: 'bench' }),
  })
  const body = await response.text()
  if (response.status !== 201) {
    throw new Error(`POST /api/auth/tokens (${who}) answered ${response.status}: ${body}`)
  }
  return JSON.parse(body).data.token
}

/*
| Load
*/
function routes(): Route[] {
  const list: Route[] = []
  const add = (path: string, who: Who, label = path, pages = [1, 500]) => {
    for (const page of pages) {
      list.push({ path, who, page, label })
    }
  }
  add('/api/offers', 'creator')
  for (const word of [SEARCH_COMMON, SEARCH_RARE]) {
    // A text search serves its newest TEXT_SEARCH_WINDOW matches: the
    // deepest page with rows is measured too; page 500 answers an empty page.
    add(`/api/offers?q=${encodeURIComponent(word)}`, 'creator', `/api/offers?q=${word}`, [
      1,
      TEXT_SEARCH_WINDOW / 20,
      500,
    ])
  }
  add('/api/offers', 'brand')
  add('/api/offers', 'admin')
  add('/api/applications', 'brand')
  add('/api/applications', 'creator')
  add('/api/applications', 'admin')
  add('/api/invites', 'creator')
  add('/api/invites', 'brand')
  add('/api/deals', 'creator')
  add('/api/deals', 'brand')
  add('/api/notifications', 'creator')
  const deepByCursor = list
    .filter((route) => route.page === 500 && !route.path.includes('q='))
    .map((route) => ({ ...route, byCursor: true }))
  return [...list, ...deepByCursor]
}

function urlOf(baseUrl: string, route: Route) {
  if (route.page === null) {
    return `${baseUrl}${route.path}`
  }
  const separator = route.path.includes('?') ? '&' : '?'
  const where = route.byCursor ? `after=${route.after}` : `page=${route.page}`
  return `${baseUrl}${route.path}${separator}${where}&perPage=20`
}

async function call(url: string, token: string, route: Route): Promise<string> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  const body = await response.text()
  if (response.status !== 200) {
    throw new Error(
      `GET ${route.label} page ${route.page} as ${route.who} answered ${response.status}: ${body.slice(0, 300)}\n` +
        `the server's last lines:\n${serverTail()}`
    )
  }
  return body
}

/**
 * Keeps `load.concurrency` requests in flight until `count` requests were
 * made or, when measuring, until `seconds` have passed: every route is
 * measured for the same time, so each has the same chance of meeting a
 * pause of the server or of PostgreSQL. Any non-200 answer throws.
 */
async function run(
  baseUrl: string,
  token: string,
  route: Route,
  until: { count: number } | { seconds: number },
  load: Load
) {
  const url = urlOf(baseUrl, route)
  const samples: number[] = []
  let issued = 0
  const started = performance.now()
  const more =
    'count' in until
      ? () => issued < until.count
      : () => performance.now() - started < until.seconds * 1000
  const worker = async () => {
    while (more()) {
      issued += 1
      const sent = performance.now()
      await call(url, token, route)
      samples.push(performance.now() - sent)
    }
  }
  await Promise.all(Array.from({ length: load.concurrency }, worker))
  return { samples, seconds: (performance.now() - started) / 1000 }
}

/**
 * A cursor route's cursor: the `nextAfter` of the numbered page before it.
 * A list that ends before that page (the tiny size) has none: the cursor is
 * then 1, before every id, and the page is empty, as a numbered page past
 * the end is.
 */
async function cursorBefore(baseUrl: string, token: string, route: Route) {
  const before = { ...route, byCursor: false, page: route.page! - 1 }
  const answer = JSON.parse(await call(urlOf(baseUrl, before), token, before))
  return (answer.data.nextAfter as number | null) ?? 1
}

/**
 * One request to read the list's total, then the warm-up requests.
 */
async function warmUp(baseUrl: string, token: string, route: Route, load: Load) {
  if (route.byCursor) {
    route.after = await cursorBefore(baseUrl, token, route)
  }
  const first = JSON.parse(await call(urlOf(baseUrl, route), token, route))
  await run(baseUrl, token, route, { count: load.warmup }, load)
  if (typeof first.data?.total !== 'number') {
    return null
  }
  const total = (first.data.total as number).toLocaleString('en-US')
  return first.data.totalIsExact ? total : `${total}+`
}

/**
 * One row per list; `me p95` is the yardstick of that list: the smaller p95
 * of the two /api/me measurements beside it (just before and just after).
 */
function printTable(results: MeasuredList[]) {
  const header = [
    'route',
    'as',
    'page',
    'rows',
    'n',
    'req/s',
    'p50 ms',
    'p95 ms',
    'me p95',
    'p95/me',
    '≤3×',
  ]
  const lines = results.map(({ route, samples, total, seconds, besideMe }) => {
    const p95 = percentile(samples, 95)
    const ratio = p95 / besideMe
    return [
      route.label,
      route.who,
      `${route.page}${route.byCursor ? ' by cursor' : ''}`,
      total ?? '—',
      String(samples.length),
      (samples.length / seconds).toFixed(0),
      percentile(samples, 50).toFixed(1),
      p95.toFixed(1),
      besideMe.toFixed(1),
      ratio.toFixed(2),
      ratio <= TARGET_RATIO ? 'yes' : 'NO',
    ]
  })
  printMarkdownTable(header, lines, 2)
}

/** The stricter of two baselines: the smaller p95. */
function smallerP95(one: Result, other: Result) {
  return Math.min(percentile(one.samples, 95), percentile(other.samples, 95))
}

function describeBaselines(baselines: Result[]) {
  const p95s = baselines.map((result) => percentile(result.samples, 95))
  const rates = baselines.map((result) => result.samples.length / result.seconds)
  return (
    `/api/me measured ${baselines.length} times, before, between and after the lists: ` +
    `p95 ${Math.min(...p95s).toFixed(1)}–${Math.max(...p95s).toFixed(1)} ms ` +
    `(median ${percentile(p95s, 50).toFixed(1)}), ` +
    `${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)} requests/s`
  )
}

/*
| Main
*/
async function main() {
  const { size, keepDatabase } = optionsFromArgs()
  keepDatabasesAfterwards(keepDatabase)
  const volumes = size === 'tiny' ? TINY : FULL
  const load = LOADS[size]
  const started = performance.now()
  log(`bench:lists — size ${size}, database ${BENCH_DB} on ${PG_HOST}:${PG_PORT}`)
  log(machineLine())

  const port = await choosePort(3360, 3379)
  const env = childEnv(port, BENCH_DB)
  const baseUrl = `http://127.0.0.1:${port}`

  await timed('create database', () => createDatabase(BENCH_DB))
  await timed('migrations', () => runAce(['migration:run', '--force'], env))
  await timed('admin user (ace user:create)', () =>
    runAce(
      [
        'user:create',
        '--role',
        'admin',
        '--email',
        EMAILS.admin,
        '--password',
        PASSWORD,
        '--name',
        'Bench admin',
      ],
      env
    )
  )
  const postgresVersion = await seed(volumes)
  log(`  PostgreSQL ${postgresVersion}`)

  await timed(`server up on ${baseUrl}`, () => startServer(env, baseUrl))
  const tokens = {
    brand: await tokenFor(baseUrl, 'brand'),
    creator: await tokenFor(baseUrl, 'creator'),
    admin: await tokenFor(baseUrl, 'admin'),
  }

  log(
    `  load: ${load.seconds} s per route after ${load.warmup} warm-up requests, ` +
      `concurrency ${load.concurrency}, perPage 20`
  )
  // Anything else running on the machine skews the figures: say so.
  const loadBefore = loadAverage()
  const me: Route = { path: '/api/me', who: 'creator', page: null, label: '/api/me' }
  const lists = routes()

  // Every route is warmed up first (JIT, pool, PostgreSQL caches), so that
  // no measurement, the baseline's included, pays for a cold start.
  const totals = new Map<Route, string | null>()
  for (const route of [me, ...lists]) {
    totals.set(route, await warmUp(baseUrl, tokens[route.who], route, load))
  }

  // The machine's speed drifts over a run (a shared VM: /api/me has fallen
  // from 1 674 to 1 208 requests/s between the start and the end, PERF.md),
  // so /api/me is measured before the first list and after every list, and
  // each list is compared with the smaller p95 of the two measurements beside
  // it (the stricter of the two).
  const measure = async (route: Route): Promise<Result> => ({
    route,
    total: totals.get(route) ?? null,
    ...(await run(baseUrl, tokens[route.who], route, { seconds: load.seconds }, load)),
  })
  const baselines = [await measure(me)]
  const results: MeasuredList[] = []
  for (const route of lists) {
    const measured = await measure(route)
    baselines.push(await measure(me))
    const besideMe = smallerP95(baselines[baselines.length - 2], baselines[baselines.length - 1])
    results.push({ ...measured, besideMe })
  }

  log('')
  printTable(results)
  log('')
  log(describeBaselines(baselines))
  const numbered = results.filter((result) => !result.route.byCursor)
  const byCursor = results.filter((result) => result.route.byCursor)
  const meetCount = (among: MeasuredList[], yardstick: (result: MeasuredList) => number) =>
    among.filter((result) => percentile(result.samples, 95) <= TARGET_RATIO * yardstick(result))
      .length
  const beside = (result: MeasuredList) => result.besideMe
  log(
    `target p95 ≤ ${TARGET_RATIO}× the p95 of /api/me beside it: ` +
      `${meetCount(numbered, beside)} of ${numbered.length} numbered-page measurements meet it; ` +
      `page 500 by cursor: ${meetCount(byCursor, beside)} of ${byCursor.length}`
  )
  // The yardstick until 2 December: one baseline for the whole run, the
  // smaller p95 of the first and the last /api/me measurements.
  const endsBaseline = smallerP95(baselines[0], baselines[baselines.length - 1])
  const ends = () => endsBaseline
  log(
    `against the first and last /api/me only (${endsBaseline.toFixed(1)} ms → ≤ ${(TARGET_RATIO * endsBaseline).toFixed(1)} ms): ` +
      `${meetCount(numbered, ends)} of ${numbered.length}; by cursor ${meetCount(byCursor, ends)} of ${byCursor.length}`
  )
  log(`load average (1, 5, 15 min) before the load: ${loadBefore}, after: ${loadAverage()}`)
  log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

await runBenchmark('bench:lists', main)
