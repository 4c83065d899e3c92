/*
|--------------------------------------------------------------------------
| bench:ledger — full money cycles per second over HTTP (PostgreSQL only)
|--------------------------------------------------------------------------
|
| One cycle is what the API does for one deal, every request over HTTP:
|
|   brand    POST /api/offers                      201
|   brand    POST /api/offers/:id/publish          200
|   creator  POST /api/offers/:id/applications     201
|   brand    POST /api/applications/:id/approve    200 (opens the deal)
|   brand    POST /api/deals/:id/fund              200 (sandbox charge, escrow)
|   creator  POST /api/deals/:id/submit {url}      200
|   brand    POST /api/deals/:id/approve           200 (release, less the fee)
|   creator  POST /api/payouts {amount}            201 (all of the creator's share)
|   admin    POST /api/admin/payouts/:id/approve   200
|   admin    POST /api/admin/payouts/:id/mark-paid 200
|
| The money routes carry an Idempotency-Key, as a client should send it.
| Any other answer fails the benchmark, naming the step, status and body.
|
| 1. creates two fresh databases next to the admin database (the
|    application's and a scratch one for pgbench -i), runs the migrations,
|    makes the admin with `ace user:create`, starts the real server from
|    the sources (as bench:lists does);
| 2. registers one brand and one creator through the API, then inserts the
|    other accounts with SQL and one access token per account (see
|    makeAccounts for why);
| 3. for 1, 8 and 32 workers: each worker runs cycles back to back, on its
|    own brands and creators (no two workers ever share a user). After a
|    warm-up, what ends inside a fixed window is counted (see runLevel and
|    cyclesPerSecond); the cycles still running when it closes are finished
|    but not counted. Right after, pgbench's built-in simple-update script
|    (-N) runs as many clients for as long on a scratch database of the
|    same server, while the application is idle;
| 4. prints cycles/s, requests/s, latencies, the CPU the server and this
|    load generator used, pgbench's tps and cycles/s ÷ pgbench tps, and
|    the PostgreSQL commits per cycle;
| 5. checks the books: every cycle's money in the right accounts, and
|    `ace ledger:verify` exiting 0; then drops both databases, whatever
|    happened.
|
| It is a benchmark, not a test: there is no target. Only an error (a wrong
| answer, an unbalanced book, a server that does not come up…) exits
| non-zero.
|
| Usage:
|   npm run bench:ledger                      full size: 25 s per level (the default)
|   npm run bench:ledger -- --size tiny       3 s per level (CI)
|   npm run bench:ledger -- --keep-db         leave the databases behind (drop them yourself)
|
| Environment: BENCH_SIZE (tiny|full), BENCH_PORT (default: first free port
| from 3370), PGBENCH (path of pgbench), PG_HOST, PG_PORT, PG_USER,
| PG_ADMIN_DB (as in .ci/run: 127.0.0.1, 5432, postgres, test; trust
| authentication).
|
*/
import { spawn } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import pg from 'pg'
import {
  childEnv,
  choosePort,
  createDatabase,
  databaseUrl,
  keepDatabasesAfterwards,
  loadAverage,
  log,
  machineLine,
  optionsFromArgs,
  percentile,
  PG_HOST,
  PG_PORT,
  PG_USER,
  printTable,
  runAce,
  runBenchmark,
  serverPid,
  serverTail,
  startServer,
  stopOnCleanup,
  stopServer,
  timed,
  type Size,
} from './support.ts'

type Who = 'brand' | 'creator' | 'admin'

type Plan = { warmupSeconds: number; windowSeconds: number; pgbenchSeconds: number }

type Account = { id: number; email: string; token: string }

type Accounts = { brands: Account[]; creators: Account[]; adminTokens: string[] }

type StepName =
  | 'create offer'
  | 'publish offer'
  | 'apply'
  | 'approve application'
  | 'fund deal'
  | 'submit work'
  | 'approve work (release)'
  | 'request payout'
  | 'approve payout'
  | 'mark payout paid'

type Level = {
  clients: number
  cycles: number
  allCycles: number
  requests: number
  seconds: number
  cycleMs: number[]
  stepMs: Map<StepName, number[]>
  serverCpu: number | null
  clientCpu: number | null
  pgbench: PgbenchResult
}

type CpuMark = { server: number | null; client: NodeJS.CpuUsage }

type PgbenchResult = { tps: number; latencyMs: number | null; transactions: number | null }

const BENCH_DB = `collab_bench_ledger_${process.pid}`
const PGBENCH_DB = `collab_bench_ledger_pgbench_${process.pid}`
const PASSWORD = 'bench-password'
const ADMIN_EMAIL = 'bench-admin@bench.collab'
const CONCURRENCY = [1, 8, 32]
const MAX_WORKERS = Math.max(...CONCURRENCY)
// Each worker cycles through its own share of the accounts (account i goes
// to worker i mod N), so that at 32 workers each still has 4 creators and
// 2 brands, and no user is ever in two cycles at once.
const CREATORS = 4 * MAX_WORKERS
const BRANDS = 2 * MAX_WORKERS

// Money: the server runs with these, so the payout is exactly the creator's
// share of one deal and every creator's balance is back at zero after each
// cycle.
const BUDGET = 100_000
const FEE_BPS = 1_000
const FEE = Math.floor((BUDGET * FEE_BPS) / 10_000)
const PAYOUT = BUDGET - FEE
const PAYOUT_MIN_AMOUNT = 10_000

const STEPS: StepName[] = [
  'create offer',
  'publish offer',
  'apply',
  'approve application',
  'fund deal',
  'submit work',
  'approve work (release)',
  'request payout',
  'approve payout',
  'mark payout paid',
]
const REQUESTS_PER_CYCLE = STEPS.length
const REQUEST_TIMEOUT_MS = 60_000

// The token format of @adonisjs/auth's DbAccessTokensProvider with the
// prefix app/models/user.ts gives it (ACCESS_TOKEN_PREFIX); see makeTokens.
const TOKEN_PREFIX = 'clb_'
const TOKEN_TYPE = 'auth_token'

const PLANS: Record<Size, Plan> = {
  full: { warmupSeconds: 5, windowSeconds: 25, pgbenchSeconds: 25 },
  tiny: { warmupSeconds: 1, windowSeconds: 3, pgbenchSeconds: 3 },
}

/*
| Accounts and tokens
*/

/**
 * Why not the API for every account: register, login and tokens allow 20
 * requests a minute per IP (and 5 per e-mail), and this needs ~200
 * accounts with a token each: that would take ten minutes of waiting, or a
 * weaker limiter, which would change the server under test. So:
 *
 * - the admin is made with `ace user:create` (the only way to make one);
 * - one brand and one creator register through the API (2 requests), so
 *   the rows are what the application writes;
 * - the other accounts are INSERTed with the registered brand's password
 *   hash (scrypt, so every account can still log in with PASSWORD);
 * - every token is an INSERTed auth_access_tokens row (see makeTokens).
 */
async function makeAccounts(baseUrl: string, client: pg.Client): Promise<Accounts> {
  const registered = {
    brand: await register(baseUrl, 'brand', 'bench-brand-0@bench.collab', 'Бренд 0'),
    creator: await register(baseUrl, 'creator', 'bench-creator-0@bench.collab', 'Автор 0'),
  }
  for (const [role, count] of [
    ['brand', BRANDS],
    ['creator', CREATORS],
  ] as const) {
    await client.query(
      `INSERT INTO users (email, password, role, display_name, created_at, updated_at)
       SELECT 'bench-' || $1::text || '-' || g || '@bench.collab', source.password, $1::text,
              CASE WHEN $1::text = 'brand' THEN 'Бренд ' ELSE 'Автор ' END || g, now(), now()
       FROM generate_series(1, $2::int - 1) g
       CROSS JOIN (SELECT password FROM users WHERE id = $3) source`,
      [role, count, registered.brand]
    )
  }
  const users = await client.query<{ id: number; email: string; role: Who }>(
    `SELECT id, email, role FROM users WHERE email LIKE 'bench-%@bench.collab' ORDER BY id`
  )
  const admin = users.rows.find((row) => row.role === 'admin')
  if (!admin) {
    throw new Error(`no admin ${ADMIN_EMAIL} after ace user:create`)
  }
  const brands = users.rows.filter((row) => row.role === 'brand')
  const creators = users.rows.filter((row) => row.role === 'creator')
  if (brands.length !== BRANDS || creators.length !== CREATORS) {
    throw new Error(
      `expected ${BRANDS} brands and ${CREATORS} creators, found ${brands.length} and ${creators.length}`
    )
  }
  if (brands[0].id !== registered.brand || creators[0].id !== registered.creator) {
    throw new Error('the registered brand and creator are not the first of their role')
  }
  const tokens = await makeTokens(client, [
    ...brands.map((row) => row.id),
    ...creators.map((row) => row.id),
    ...Array.from({ length: MAX_WORKERS }, () => admin.id),
  ])
  const accounts: Accounts = {
    brands: brands.map((row, index) => ({ ...row, token: tokens[index] })),
    creators: creators.map((row, index) => ({ ...row, token: tokens[brands.length + index] })),
    // One token per worker for the one admin: every authenticated request
    // updates its token's last_used_at, and workers sharing one token row
    // would queue on its lock, which many admins' sessions would not.
    adminTokens: tokens.slice(brands.length + creators.length),
  }
  // Made-up tokens must be ones the server accepts: check one of each kind.
  await checkToken(baseUrl, accounts.brands[0].token, 'brand', registered.brand)
  await checkToken(baseUrl, accounts.creators.at(-1)!.token, 'creator', creators.at(-1)!.id)
  await checkToken(baseUrl, accounts.adminTokens.at(-1)!, 'admin', admin.id)
  return accounts
}

async function register(baseUrl: string, role: 'brand' | 'creator', email: string, name: string) {
  const body = await call(baseUrl, {
    step: `register ${role}`,
    method: 'POST',
    path: '/api/auth/register',
    who: null,
    body: { email, password: PASSWORD, role, displayName: name },
    expect: 201,
  })
  return Number(body.data.user.id)
}

/**
 * Access tokens as @adonisjs/auth's DbAccessTokensProvider makes them
 * (node_modules/@adonisjs/auth/build/modules/access_tokens_guard/main.js):
 * the row keeps the sha256 hex of a random secret, and the token is
 * `clb_` + base64url(row id) + '.' + base64url(secret). The provider
 * decodes both halves, finds the row by id and type, compares the hashes
 * and checks expires_at. The CRC32 it appends to its own secrets is only a
 * marker for secret scanners and is not checked. makeAccounts sends one
 * token of each kind to GET /api/me, so a change of format fails loudly.
 */
async function makeTokens(client: pg.Client, userIds: number[]): Promise<string[]> {
  const secrets = userIds.map(() => randomBytes(30).toString('base64url'))
  const hashes = secrets.map((secret) => createHash('sha256').update(secret).digest('hex'))
  const { rows } = await client.query<{ id: number; hash: string }>(
    `INSERT INTO auth_access_tokens
       (tokenable_id, type, name, hash, abilities, created_at, updated_at, last_used_at, expires_at)
     SELECT t.user_id, $3, 'bench', t.hash, '["*"]', now(), now(), NULL, now() + interval '1 day'
     FROM unnest($1::int[], $2::text[]) AS t(user_id, hash)
     RETURNING id, hash`,
    [userIds, hashes, TOKEN_TYPE]
  )
  const idOf = new Map(rows.map((row) => [row.hash, Number(row.id)]))
  const encode = (value: string) => Buffer.from(value).toString('base64url')
  return secrets.map((secret, index) => {
    const id = idOf.get(hashes[index])
    if (id === undefined) {
      throw new Error(`no token row for user ${userIds[index]}`)
    }
    return `${TOKEN_PREFIX}${encode(String(id))}.${encode(secret)}`
  })
}

async function checkToken(baseUrl: string, token: string, role: Who, userId: number) {
  const body = await call(baseUrl, {
    step: `check inserted ${role} token`,
    method: 'GET',
    path: '/api/me',
    who: role,
    token,
    expect: 200,
  })
  if (body.data.user.id !== userId || body.data.user.role !== role) {
    throw new Error(
      `GET /api/me with an inserted ${role} token answered ${JSON.stringify(body.data.user)}`
    )
  }
}

/*
| HTTP
*/
type Call = {
  step: string
  method: 'GET' | 'POST'
  path: string
  who: Who | null
  token?: string
  body?: unknown
  expect: 200 | 201
  idempotent?: boolean
}

class StepError extends Error {}

/**
 * One request; anything but the expected status throws, naming the step.
 */
async function call(baseUrl: string, request: Call): Promise<any> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json'
  }
  if (request.token) {
    headers.authorization = `Bearer ${request.token}`
  }
  if (request.idempotent) {
    headers['idempotency-key'] = randomUUID()
  }
  const what = `step "${request.step}" (${request.method} ${request.path}${request.who ? ` as ${request.who}` : ''})`
  let response: Response
  let text: string
  try {
    response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    text = await response.text()
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message
    throw new StepError(
      `${what} failed: ${(error as Error).message}${cause ? ` (${cause})` : ''}\nserver output:\n${serverTail()}`
    )
  }
  if (response.status !== request.expect) {
    throw new StepError(
      `${what} answered ${response.status} instead of ${request.expect}: ${text.slice(0, 1000)}`
    )
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new StepError(
      `${what} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`
    )
  }
}

/*
| Cycles
*/
type Worker = { brands: Account[]; creators: Account[]; adminToken: string }

type Run = {
  baseUrl: string
  windowStart: number
  windowEnd: number
  cycles: number
  allCycles: number
  requests: number
  cycleMs: number[]
  stepMs: Map<StepName, number[]>
  failure: Error | null
}

class Stopped extends Error {}

async function runCycle(run: Run, worker: Worker, index: number) {
  const brand = worker.brands[index % worker.brands.length]
  const creator = worker.creators[index % worker.creators.length]
  const cycleStarted = performance.now()
  const step = async (
    name: StepName,
    who: Who,
    method: 'POST',
    path: string,
    expect: 200 | 201,
    options: { body?: unknown; idempotent?: boolean } = {}
  ) => {
    if (run.failure) {
      throw new Stopped()
    }
    const token =
      who === 'brand' ? brand.token : who === 'creator' ? creator.token : worker.adminToken
    const started = performance.now()
    const body = await call(run.baseUrl, {
      step: name,
      method,
      path,
      who,
      token,
      expect,
      ...options,
    })
    const ended = performance.now()
    if (ended >= run.windowStart && ended < run.windowEnd) {
      run.requests += 1
      run.stepMs.get(name)!.push(ended - started)
    }
    return body.data
  }
  const expectThat = (condition: boolean, what: string, data: unknown) => {
    if (!condition) {
      throw new StepError(`${what}: ${JSON.stringify(data).slice(0, 500)}`)
    }
  }

  const { offer } = await step('create offer', 'brand', 'POST', '/api/offers', 201, {
    body: {
      title: `Обзор для бенчмарка № ${index}`,
      brief: 'Короткое вертикальное видео о товаре: распаковка и первые впечатления.',
      budget: BUDGET,
    },
  })
  await step('publish offer', 'brand', 'POST', `/api/offers/${offer.id}/publish`, 200)
  const { application } = await step(
    'apply',
    'creator',
    'POST',
    `/api/offers/${offer.id}/applications`,
    201,
    { body: { message: 'Готов снять за неделю' } }
  )
  const approved = await step(
    'approve application',
    'brand',
    'POST',
    `/api/applications/${application.id}/approve`,
    200
  )
  const deal = approved.deal
  expectThat(
    deal?.amount === BUDGET,
    'the approved application opened no deal of the budget',
    approved
  )
  const funded = await step('fund deal', 'brand', 'POST', `/api/deals/${deal.id}/fund`, 200, {
    idempotent: true,
  })
  expectThat(funded.deal.status === 'funded' && !funded.replayed, 'funding did not fund', funded)
  await step('submit work', 'creator', 'POST', `/api/deals/${deal.id}/submit`, 200, {
    body: { url: `https://video.example/bench/${deal.id}` },
  })
  const released = await step(
    'approve work (release)',
    'brand',
    'POST',
    `/api/deals/${deal.id}/approve`,
    200,
    { idempotent: true }
  )
  expectThat(
    released.deal.status === 'completed' && !released.replayed,
    'the release did not complete the deal',
    released
  )
  const { payout } = await step('request payout', 'creator', 'POST', '/api/payouts', 201, {
    body: { amount: PAYOUT },
    idempotent: true,
  })
  const decided = await step(
    'approve payout',
    'admin',
    'POST',
    `/api/admin/payouts/${payout.id}/approve`,
    200,
    { idempotent: true }
  )
  expectThat(decided.payout.status === 'approved', 'the payout was not approved', decided)
  const paid = await step(
    'mark payout paid',
    'admin',
    'POST',
    `/api/admin/payouts/${payout.id}/mark-paid`,
    200,
    { idempotent: true }
  )
  expectThat(paid.payout.status === 'paid', 'the payout was not paid', paid)

  const ended = performance.now()
  run.allCycles += 1
  if (ended >= run.windowStart && ended < run.windowEnd) {
    run.cycles += 1
    run.cycleMs.push(ended - cycleStarted)
  }
}

function workersFor(accounts: Accounts, clients: number): Worker[] {
  return Array.from({ length: clients }, (_, worker) => ({
    brands: accounts.brands.filter((_account, index) => index % clients === worker),
    creators: accounts.creators.filter((_account, index) => index % clients === worker),
    adminToken: accounts.adminTokens[worker],
  }))
}

/**
 * `clients` workers run cycles back to back. The counting window opens once
 * the warm-up time has passed and every worker has finished a cycle (at 32
 * workers one cycle can outlast a short warm-up), and lasts windowSeconds;
 * the cycles and requests that end inside it are counted. A cycle under way
 * when it closes is finished (the books stay whole) but not counted. The
 * first error stops every worker at its next step.
 */
async function runLevel(baseUrl: string, accounts: Accounts, clients: number, plan: Plan) {
  const started = performance.now()
  const run: Run = {
    baseUrl,
    windowStart: Number.POSITIVE_INFINITY,
    windowEnd: Number.POSITIVE_INFINITY,
    cycles: 0,
    allCycles: 0,
    requests: 0,
    cycleMs: [],
    stepMs: new Map(STEPS.map((name) => [name, []])),
    failure: null,
  }
  // CPU used over the window by the server and by this process (the load
  // generator), in cores.
  const cpu: { start?: CpuMark; end?: CpuMark } = {}
  const mark = (): CpuMark => ({ server: serverCpuSeconds(), client: process.cpuUsage() })
  const warmedUp = new Set<number>()
  const timers: NodeJS.Timeout[] = []
  const openWindow = () => {
    const now = performance.now()
    if (
      run.windowStart !== Number.POSITIVE_INFINITY ||
      now - started < plan.warmupSeconds * 1000 ||
      warmedUp.size < clients
    ) {
      return
    }
    run.windowStart = now
    run.windowEnd = now + plan.windowSeconds * 1000
    cpu.start = mark()
    timers.push(setTimeout(() => (cpu.end = mark()), plan.windowSeconds * 1000))
  }
  timers.push(setTimeout(openWindow, plan.warmupSeconds * 1000))

  const worker = async (own: Worker, number: number) => {
    let index = 0
    while (performance.now() < run.windowEnd && !run.failure) {
      try {
        await runCycle(run, own, index++)
      } catch (error) {
        if (!(error instanceof Stopped)) {
          run.failure ??= error as Error
        }
        return
      }
      warmedUp.add(number)
      openWindow()
    }
  }
  try {
    await Promise.all(workersFor(accounts, clients).map(worker))
  } finally {
    timers.forEach(clearTimeout)
  }
  if (run.failure) {
    throw run.failure
  }
  const seconds = plan.windowSeconds
  let serverCpu: number | null = null
  let clientCpu: number | null = null
  if (cpu.start && cpu.end) {
    if (cpu.start.server !== null && cpu.end.server !== null) {
      serverCpu = (cpu.end.server - cpu.start.server) / seconds
    }
    const { user, system } = cpu.end.client
    clientCpu = (user - cpu.start.client.user + system - cpu.start.client.system) / 1e6 / seconds
  }
  const warmupSeconds = (run.windowStart - started) / 1000
  return { ...run, seconds, warmupSeconds, serverCpu, clientCpu }
}

/**
 * CPU seconds the server process has used (Linux /proc; null elsewhere).
 */
function serverCpuSeconds(): number | null {
  const pid = serverPid()
  if (pid === null) {
    return null
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // utime and stime are the 14th and 15th fields, counted from the
    // state field after the command name (in parentheses) as the 3rd; in
    // clock ticks, 100 a second on Linux.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? ticks / 100 : null
  } catch {
    return null
  }
}

/*
| pgbench
*/
function findPgbench(): string {
  if (process.env.PGBENCH) {
    return process.env.PGBENCH
  }
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && existsSync(join(directory, 'pgbench'))) {
      return join(directory, 'pgbench')
    }
  }
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'pgbench')))
      .sort((a, b) => Number(b) - Number(a))
    if (versions.length > 0) {
      return join(root, versions[0], 'bin', 'pgbench')
    }
  }
  throw new Error(
    'pgbench not found on the PATH nor under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql-client); or set PGBENCH'
  )
}

function runPgbench(pgbench: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      pgbench,
      ['-h', PG_HOST, '-p', String(PG_PORT), '-U', PG_USER, ...args, PGBENCH_DB],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    stopOnCleanup(child)
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve(output)
      } else {
        reject(
          new Error(`pgbench ${args.join(' ')} exited with ${code ?? signal}:\n${output.trim()}`)
        )
      }
    })
  })
}

async function pgbenchRun(
  pgbench: string,
  clients: number,
  seconds: number
): Promise<PgbenchResult> {
  const output = await runPgbench(pgbench, [
    '-N',
    '-c',
    String(clients),
    '-j',
    String(Math.min(2, clients)),
    '-T',
    String(seconds),
  ])
  const tps =
    /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ??
    /tps = ([\d.]+)/.exec(output)
  if (!tps) {
    throw new Error(`no tps in the pgbench output:\n${output}`)
  }
  const latency = /latency average = ([\d.]+) ms/.exec(output)
  const transactions = /number of transactions actually processed: (\d+)/.exec(output)
  return {
    tps: Number(tps[1]),
    latencyMs: latency ? Number(latency[1]) : null,
    transactions: transactions ? Number(transactions[1]) : null,
  }
}

/*
| Books
*/
async function commits(client: pg.Client) {
  const { rows } = await client.query(
    'SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()'
  )
  return { commits: Number(rows[0].xact_commit), rollbacks: Number(rows[0].xact_rollback) }
}

/**
 * Waits until no other session is connected to the bench database, so
 * that the server's sessions have ended and flushed their statistics.
 */
async function waitForSessionsToEnd(client: pg.Client) {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const { rows } = await client.query(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`
    )
    if (Number(rows[0].n) === 0) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * What the cycles must have left behind: every deal completed and every
 * payout paid, creators' balances back at zero, and the money of each cycle
 * in the external and platform accounts.
 */
async function checkBooks(client: pg.Client, cycles: number) {
  const { rows } = await client.query(
    `SELECT
       (SELECT count(*) FROM deals) AS deals,
       (SELECT count(*) FROM deals WHERE status = 'completed') AS completed,
       (SELECT count(*) FROM payout_requests) AS payouts,
       (SELECT count(*) FROM payout_requests WHERE status = 'paid') AS paid,
       (SELECT count(*) FROM ledger_transactions) AS transactions,
       (SELECT count(*) FROM ledger_entries) AS entries,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account = 'external:brand_funding') AS funding,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account = 'external:payouts') AS paid_out,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account = 'platform:fees') AS fees,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account LIKE 'escrow:deal:%') AS escrow,
       (SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account LIKE 'creator:%') AS creators`
  )
  const books = Object.fromEntries(
    Object.entries(rows[0]).map(([key, value]) => [key, Number(value)])
  )
  const expected: Record<string, number> = {
    deals: cycles,
    completed: cycles,
    payouts: cycles,
    paid: cycles,
    transactions: 4 * cycles,
    entries: 9 * cycles,
    funding: -BUDGET * cycles,
    paid_out: PAYOUT * cycles,
    fees: FEE * cycles,
    escrow: 0,
    creators: 0,
  }
  const wrong = Object.entries(expected).filter(([key, value]) => books[key] !== value)
  if (wrong.length > 0) {
    throw new Error(
      `the books do not match ${cycles} cycles: ${wrong
        .map(([key, value]) => `${key} ${books[key]} (expected ${value})`)
        .join(', ')}`
    )
  }
  return books
}

/*
| Output
*/

/**
 * Cycles per second over the window, counting each request that ended in
 * it as a tenth of a cycle. In a steady state that is the rate of completed
 * cycles, without the jumps of counting whole ones: workers start together,
 * so at 32 of them the cycles end in bursts of up to 32, and a burst just
 * after the window closes would take a whole round off the count ("cycles
 * ended", printed next to it).
 */
function cyclesPerSecond(level: { requests: number; seconds: number }) {
  return level.requests / REQUESTS_PER_CYCLE / level.seconds
}
function fixed(value: number, digits: number) {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

function printResults(levels: Level[]) {
  printTable(
    [
      'workers',
      'cycles ended',
      'cycles/s',
      'requests/s',
      'cycle p50 ms',
      'cycle p95 ms',
      'server CPU',
      'client CPU',
      'pgbench -N tps',
      'pgbench ms',
      'cycles/s ÷ tps',
    ],
    levels.map((level) => {
      const rate = cyclesPerSecond(level)
      return [
        String(level.clients),
        String(level.cycles),
        fixed(rate, 1),
        fixed(level.requests / level.seconds, 0),
        level.cycleMs.length > 0 ? fixed(percentile(level.cycleMs, 50), 0) : '—',
        level.cycleMs.length > 0 ? fixed(percentile(level.cycleMs, 95), 0) : '—',
        level.serverCpu === null ? '—' : `${fixed(level.serverCpu * 100, 0)} %`,
        level.clientCpu === null ? '—' : `${fixed(level.clientCpu * 100, 0)} %`,
        fixed(level.pgbench.tps, 0),
        level.pgbench.latencyMs === null ? '—' : fixed(level.pgbench.latencyMs, 2),
        fixed(rate / level.pgbench.tps, 4),
      ]
    }),
    1
  )
  log('')
  log('Latency of each step (ms, requests that ended inside the window):')
  log('')
  printTable(
    ['step', ...levels.flatMap((level) => [`p50 @${level.clients}`, `p95 @${level.clients}`])],
    STEPS.map((name) => [
      name,
      ...levels.flatMap((level) => {
        const samples = level.stepMs.get(name)!
        return samples.length === 0
          ? ['—', '—']
          : [fixed(percentile(samples, 50), 1), fixed(percentile(samples, 95), 1)]
      }),
    ]),
    1
  )
}

/*
| Main
*/
async function main() {
  const { size, keepDatabase } = optionsFromArgs()
  keepDatabasesAfterwards(keepDatabase)
  const plan = PLANS[size]
  const started = performance.now()
  log(`bench:ledger — size ${size}, database ${BENCH_DB} on ${PG_HOST}:${PG_PORT}`)
  log(machineLine())
  const pgbench = findPgbench()

  const port = await choosePort(3370, 3389)
  const env = {
    ...childEnv(port, BENCH_DB),
    PLATFORM_FEE_BPS: String(FEE_BPS),
    PAYOUT_MIN_AMOUNT: String(PAYOUT_MIN_AMOUNT),
    PAYMENT_PROVIDER: 'sandbox',
  }
  const baseUrl = `http://127.0.0.1:${port}`

  await timed('create databases', async () => {
    await createDatabase(BENCH_DB)
    await createDatabase(PGBENCH_DB)
  })
  await timed('migrations', () => runAce(['migration:run', '--force'], env))
  await timed('admin user (ace user:create)', () =>
    runAce(
      [
        'user:create',
        '--role',
        'admin',
        '--email',
        ADMIN_EMAIL,
        '--password',
        PASSWORD,
        '--name',
        'Bench admin',
      ],
      env
    )
  )
  await timed('pgbench -i (scale 1)', () => runPgbench(pgbench, ['-i', '-q']))
  await timed(`server up on ${baseUrl}`, () => startServer(env, baseUrl))

  const client = new pg.Client({ connectionString: databaseUrl(BENCH_DB) })
  // The cleanup may drop the database under this session (SIGINT): its
  // error event must not end the process before the cleanup is done.
  client.on('error', () => {})
  await client.connect()
  try {
    const accounts = await timed(
      `accounts: ${BRANDS} brands, ${CREATORS} creators, 1 admin, ${BRANDS + CREATORS + MAX_WORKERS} tokens`,
      () => makeAccounts(baseUrl, client)
    )
    const version = await client.query('SHOW server_version')
    log(`  PostgreSQL ${version.rows[0].server_version}, ${pgbench}`)
    log(
      `  plan: per level ${plan.warmupSeconds} s warm-up + ${plan.windowSeconds} s counted, ` +
        `then pgbench -N for ${plan.pgbenchSeconds} s with as many clients; ` +
        `${REQUESTS_PER_CYCLE} requests per cycle, budget ${BUDGET}, fee ${FEE_BPS} bps, payout ${PAYOUT}`
    )
    const loadBefore = loadAverage()
    const before = await commits(client)

    const levels: Level[] = []
    let allCycles = 0
    for (const clients of CONCURRENCY) {
      const run = await runLevel(baseUrl, accounts, clients, plan)
      allCycles += run.allCycles
      const pgbenchResult = await pgbenchRun(pgbench, clients, plan.pgbenchSeconds)
      levels.push({ clients, ...run, pgbench: pgbenchResult })
      log(
        `  ${clients} worker(s): window opened after ${fixed(run.warmupSeconds, 1)} s; ` +
          `${run.cycles} cycles in it (${run.allCycles} in all), ` +
          `${fixed(cyclesPerSecond(run), 1)} cycles/s; pgbench ${fixed(pgbenchResult.tps, 0)} tps; ` +
          `load ${loadAverage()}`
      )
    }
    const loadAfter = loadAverage()

    await timed('stop server', stopServer)
    await waitForSessionsToEnd(client)
    const after = await commits(client)
    const books = await checkBooks(client, allCycles)
    const verified = await timed('ace ledger:verify', () => runAce(['ledger:verify'], env))

    log('')
    printResults(levels)
    log('')
    log(
      `PostgreSQL commits in the bench database while the levels ran: ${after.commits - before.commits} ` +
        `for ${allCycles} cycles ≈ ${fixed((after.commits - before.commits) / allCycles, 1)} per cycle ` +
        `(every statement outside a transaction is one; ${after.rollbacks - before.rollbacks} rollbacks); ` +
        `a pgbench -N transaction is BEGIN, UPDATE, SELECT, INSERT, END`
    )
    log(
      `books: ${books.deals} deals completed, ${books.paid} payouts paid, ${books.transactions} ledger ` +
        `transactions, ${books.entries} entries, creators and escrow at 0; ledger:verify: ${verified.split('\n').at(-1)}`
    )
    log(`load average (1, 5, 15 min) before the load: ${loadBefore}, after: ${loadAfter}`)
    log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`)
  } finally {
    await client.end()
  }
}

await runBenchmark('bench:ledger', main)
