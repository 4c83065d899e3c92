/*
|--------------------------------------------------------------------------
| bench:outbox — outbox events per second, beside pg-boss (PostgreSQL only)
|--------------------------------------------------------------------------
|
| Both sides turn N items into N notification rows, one each, in the same
| `notifications` table of the same scratch database on the same server:
|
| - outbox: N `deal.funded` events (a real type of the notification map:
|   one `deal_funded` notification for the deal's creator), consumed by
|   1 or 4 real `node ace outbox:consume --once` processes side by side
|   (FOR UPDATE SKIP LOCKED between them);
| - pg-boss (v10, a devDependency): N jobs carrying the same event, worked
|   by 1 or 4 processes of outbox_pgboss_worker.ts, which write the same
|   row (same columns, same values) with one of two handlers: one INSERT
|   per job, or one INSERT per fetched batch.
|
| 1. creates a fresh database next to the admin database, runs the
|    project's migrations on it, installs pg-boss's schema in it, and
|    inserts the recipients (creators) with SQL;
| 2. for 1 consumer, then 4: outbox, pg-boss per job, pg-boss per batch.
|    Before each run the tables are emptied and the N items inserted in
|    bulk (outbox: N pending events; pg-boss: N done events, which the
|    notifications reference, and N jobs), then VACUUM ANALYZE and a
|    CHECKPOINT. The consumers are started behind a table lock (on
|    outbox_events, or on pgboss.job) that the bench releases once every
|    one of them waits on it, so none starts early and process start-up is
|    not timed. The run lasts from the release to the last item done
|    (outbox_events.processed_at, pgboss.job.completed_on);
| 3. checks every run: every item done, every notification there exactly
|    once, and the consumers' own counts adding up to N (none handled
|    twice); the shares show how SKIP LOCKED spread the items;
| 4. prints items/s, PostgreSQL commits per item, CPU, and the ratio
|    outbox ÷ pg-boss for each consumer count (target ≥ 1);
| 5. drops the database, whatever happened.
|
| Settings of both sides: batches of BATCH_SIZE. The outbox consumer is the
| real command with NODE_ENV=production and LOG_LEVEL=warn (its per-event
| info lines are not written). pg-boss: a `standard` queue with the default
| retry and expiry, workers with a pool of 2 connections and neither
| supervision nor scheduling (the bench's own instance installed the
| schema); they call fetch() and complete() in a loop, with no pause:
| pg-boss's own work() loop would wait until pollingIntervalSeconds (at
| least 0.5 s) has passed since each fetch began, which caps one worker at
| BATCH_SIZE ÷ 0.5 s.
|
| It is a benchmark, not a test: a missed target still exits 0. Only an
| error (an item not done, a missing or doubled notification, a consumer
| that fails…) exits non-zero.
|
| Usage:
|   npm run bench:outbox                      100 000 items per run (the default)
|   npm run bench:outbox -- --size tiny       1 000 items per run (CI)
|   npm run bench:outbox -- --keep-db         leave the database behind (drop it yourself)
|
| Environment: BENCH_SIZE (tiny|full), PG_HOST, PG_PORT, PG_USER,
| PG_ADMIN_DB (as in .ci/run: 127.0.0.1, 5432, postgres, test; trust
| authentication).
|
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import PgBoss from 'pg-boss'
import { NOTIFICATION_MAP } from '../../app/services/notifications/notification_map.ts'
import type { Handler, JobData } from './outbox_pgboss_worker.ts'
import {
  childEnv,
  createDatabase,
  databaseUrl,
  keepDatabasesAfterwards,
  loadAverage,
  log,
  machineLine,
  optionsFromArgs,
  PG_HOST,
  PG_PORT,
  printTable,
  ROOT,
  runAce,
  runBenchmark,
  stopOnCleanup,
  timed,
  type Size,
} from './support.ts'

type Volumes = { items: number; recipients: number }

type Side = 'outbox' | 'pg-boss per job' | 'pg-boss per batch'

type Run = {
  side: Side
  consumers: number
  items: number
  seconds: number
  shares: number[]
  commits: number
  workersCpu: number
  machineCpu: number | null
}

const BENCH_DB = `collab_bench_outbox_${process.pid}`
// The bench's own pg-boss connections, told apart from the workers' ones.
const BENCH_APPLICATION = 'bench-outbox'
const DATABASE_URL = databaseUrl(BENCH_DB)
const CONSUMERS = [1, 4]
const BATCH_SIZE = 100
const TARGET_RATIO = 1
const EVENT_TYPE = 'deal.funded'
const RULE = NOTIFICATION_MAP[EVENT_TYPE][0]
const FIRST_RECIPIENT = 1_000
const PGBOSS_SIDES: { side: Side; handler: Handler }[] = [
  { side: 'pg-boss per job', handler: 'job' },
  { side: 'pg-boss per batch', handler: 'batch' },
]

const VOLUMES: Record<Size, Volumes> = {
  full: { items: 100_000, recipients: 1_000 },
  tiny: { items: 1_000, recipients: 10 },
}

/*
| Database
*/
function recipientOf(g: string, volumes: Volumes) {
  return `${FIRST_RECIPIENT} + ${g} % ${volumes.recipients}`
}

/**
 * The event's payload, spelt as JSON.stringify spells it: the outbox
 * consumer writes JSON.stringify(payload) into the notification, and the
 * pg-boss jobs carry this text, so both write the same bytes.
 */
function payloadOf(g: string, volumes: Volumes) {
  return `'{"dealId":' || ${g} || ',"creatorId":' || (${recipientOf(g, volumes)}) || '}'`
}

async function insertRecipients(client: pg.Client, volumes: Volumes) {
  // Nobody logs in as them: the password column only has to be filled.
  await client.query(
    `INSERT INTO users (id, email, password, role, display_name, created_at, updated_at)
     SELECT ${FIRST_RECIPIENT} + g, 'creator-' || g || '@bench.collab', 'not-a-hash', 'creator',
            'Автор ' || g, now(), now()
     FROM generate_series(0, ${volumes.recipients - 1}) g`
  )
}

/**
 * Empties the tables and inserts the N events, `pending` for the outbox
 * consumer or already `done` for pg-boss (there they are only what the
 * notifications refer to).
 */
async function insertEvents(client: pg.Client, volumes: Volumes, status: 'pending' | 'done') {
  await client.query('TRUNCATE notifications, outbox_events RESTART IDENTITY CASCADE')
  await client.query(
    `INSERT INTO outbox_events (id, type, aggregate_type, aggregate_id, payload, meta, status,
                                attempts, next_attempt_at, created_at, processed_at)
     SELECT g, '${EVENT_TYPE}', 'deal', g, ${payloadOf('g', volumes)},
            json_build_object('requestId', 'bench-' || g, 'actorId', NULL)::text, $1::text,
            0, now(), now(), CASE WHEN $1::text = 'done' THEN now() END
     FROM generate_series(1, ${volumes.items}) g`,
    [status]
  )
  await client.query(
    `SELECT setval(pg_get_serial_sequence('outbox_events', 'id'), ${volumes.items})`
  )
}

async function insertJobs(boss: PgBoss, client: pg.Client, queue: string) {
  await boss.createQueue(queue)
  const { rows } = await client.query<{ id: string; user_id: number; payload: string }>(
    `SELECT id, (payload::json ->> 'creatorId')::int AS user_id, payload FROM outbox_events ORDER BY id`
  )
  const chunk = 1_000
  for (let start = 0; start < rows.length; start += chunk) {
    await boss.insert(
      rows.slice(start, start + chunk).map((row) => {
        const data: JobData = {
          eventId: Number(row.id),
          userId: row.user_id,
          type: RULE.notification,
          telegram: RULE.telegram,
          payload: row.payload,
        }
        return { name: queue, data }
      })
    )
  }
}

/**
 * A settled start for every run: fresh statistics, all-visible pages, and
 * no checkpoint left to write out during the run.
 */
async function settle(client: pg.Client, tables: string[]) {
  await client.query(`VACUUM ANALYZE ${tables.join(', ')}`)
  await client.query('CHECKPOINT')
}

async function commits(client: pg.Client) {
  const { rows } = await client.query(
    'SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()'
  )
  return Number(rows[0].xact_commit)
}

/**
 * Waits until the consumers' sessions have ended and flushed their
 * statistics: no session left but this one and the bench's pg-boss.
 */
async function waitForSessionsToEnd(client: pg.Client) {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const { rows } = await client.query(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
         AND application_name <> $1`,
      [BENCH_APPLICATION]
    )
    if (Number(rows[0].n) === 0) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/*
| Consumers
*/
type Consumer = { child: ChildProcess; output: string[]; exited: Promise<number | null> }

function startConsumer(command: string[], env: NodeJS.ProcessEnv): Consumer {
  const child = spawn(process.execPath, command, { cwd: ROOT, env, stdio: 'pipe' })
  stopOnCleanup(child)
  const output: string[] = []
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split('\n').filter(Boolean))
    output.splice(0, Math.max(0, output.length - 40))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null))
    child.once('exit', (code) => resolve(code))
  })
  return { child, output, exited }
}

/**
 * CPU seconds a process has used so far (Linux /proc; 0 elsewhere).
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // utime and stime: the 14th and 15th fields, in ticks of 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

/**
 * Busy and total CPU time of the whole machine so far, in ticks.
 */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
    const ticks = line.split(/\s+/).slice(1).map(Number)
    const total = ticks.reduce((sum, value) => sum + value, 0)
    const idle = ticks[3] + ticks[4]
    return { busy: total - idle, total }
  } catch {
    return null
  }
}

/**
 * Holds `table` locked while the consumers start, releases it once all of
 * them wait on it, and returns the release time (the database's clock).
 * Then waits for them to exit; each must exit 0 and print `done=<n>`.
 */
async function runGated(
  client: pg.Client,
  table: string,
  count: number,
  start: () => Consumer,
  expected: number,
  timeoutMs: number
) {
  await client.query('BEGIN')
  await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`)
  const consumers = Array.from({ length: count }, start)
  // The last CPU reading of each process, taken while it still runs.
  const cpu = new Map<Consumer, number>()
  const sampler = setInterval(() => {
    for (const consumer of consumers) {
      if (consumer.child.exitCode === null) {
        cpu.set(consumer, cpuSeconds(consumer.child.pid))
      }
    }
  }, 100)
  let released: Date
  let machineStart: ReturnType<typeof machineTicks>
  let cpuAtRelease: number[]
  try {
    const deadline = Date.now() + 120_000
    for (;;) {
      // Inside a transaction PostgreSQL shows the same snapshot of
      // pg_stat_activity until told to take a new one.
      await client.query('SELECT pg_stat_clear_snapshot()')
      const { rows } = await client.query(
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`
      )
      if (Number(rows[0].n) >= count) {
        break
      }
      const gone = consumers.find((consumer) => consumer.child.exitCode !== null)
      if (gone || Date.now() > deadline) {
        throw new Error(
          `${gone ? 'a consumer exited before the start' : 'the consumers did not start within 120 s'}:\n${(gone ?? consumers[0]).output.join('\n')}`
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    cpuAtRelease = consumers.map((consumer) => cpuSeconds(consumer.child.pid))
    machineStart = machineTicks()
    const { rows } = await client.query('SELECT clock_timestamp() AS at')
    released = rows[0].at
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    clearInterval(sampler)
    for (const consumer of consumers) {
      consumer.child.kill('SIGTERM')
    }
    throw error
  }

  const timer = setTimeout(() => {
    for (const consumer of consumers) {
      consumer.child.kill('SIGTERM')
    }
  }, timeoutMs)
  const codes = await Promise.all(consumers.map((consumer) => consumer.exited))
  clearTimeout(timer)
  clearInterval(sampler)
  const machineEnd = machineTicks()
  const failed = consumers.findIndex((_, index) => codes[index] !== 0)
  if (failed !== -1) {
    throw new Error(
      `a consumer exited with ${codes[failed]} (or ran past ${timeoutMs / 1000} s):\n${consumers[failed].output.join('\n')}`
    )
  }
  const shares = consumers.map((consumer) => {
    const done = /done=(\d+)/.exec(consumer.output.join('\n'))
    if (!done) {
      throw new Error(`a consumer printed no done=<n>:\n${consumer.output.join('\n')}`)
    }
    return Number(done[1])
  })
  // Each item is counted by the one consumer that handled it: a total of
  // exactly N shows that none was handled twice.
  const handled = shares.reduce((sum, share) => sum + share, 0)
  if (handled !== expected) {
    throw new Error(`the consumers handled ${shares.join(' + ')} items (expected ${expected})`)
  }
  const workersCpuSeconds = consumers.reduce(
    (sum, consumer, index) => sum + (cpu.get(consumer) ?? 0) - cpuAtRelease[index],
    0
  )
  const machineBusy =
    machineStart && machineEnd
      ? (machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)
      : null
  return { released, shares, workersCpuSeconds, machineBusy }
}

async function runOutbox(
  client: pg.Client,
  env: NodeJS.ProcessEnv,
  consumers: number,
  volumes: Volumes
) {
  await insertEvents(client, volumes, 'pending')
  await settle(client, ['outbox_events', 'notifications'])
  const before = await commits(client)
  const gated = await runGated(
    client,
    'outbox_events',
    consumers,
    () => startConsumer(['ace', 'outbox:consume', '--once', `--batch-size=${BATCH_SIZE}`], env),
    volumes.items,
    timeoutFor(volumes)
  )
  const { rows } = await client.query('SELECT max(processed_at) AS at FROM outbox_events')
  await waitForSessionsToEnd(client)
  const after = await commits(client)
  await verifyOutbox(client, volumes)
  return finish('outbox', consumers, volumes, gated, rows[0].at, after - before)
}

async function runPgBoss(
  boss: PgBoss,
  client: pg.Client,
  side: { side: Side; handler: Handler },
  consumers: number,
  volumes: Volumes
) {
  const queue = `bench-${side.handler}-${consumers}`
  await insertEvents(client, volumes, 'done')
  await insertJobs(boss, client, queue)
  await settle(client, ['pgboss.job', 'outbox_events', 'notifications'])
  const before = await commits(client)
  const gated = await runGated(
    client,
    'pgboss.job',
    consumers,
    () =>
      startConsumer(
        [
          'scripts/bench/outbox_pgboss_worker.ts',
          DATABASE_URL,
          queue,
          String(BATCH_SIZE),
          side.handler,
        ],
        process.env
      ),
    volumes.items,
    timeoutFor(volumes)
  )
  const { rows } = await client.query(
    'SELECT max(completed_on) AS at FROM pgboss.job WHERE name = $1',
    [queue]
  )
  await waitForSessionsToEnd(client)
  const after = await commits(client)
  await verifyPgBoss(client, queue, volumes)
  return finish(side.side, consumers, volumes, gated, rows[0].at, after - before)
}

function timeoutFor(volumes: Volumes) {
  return Math.max(120_000, volumes.items * 10)
}

function finish(
  side: Side,
  consumers: number,
  volumes: Volumes,
  gated: Awaited<ReturnType<typeof runGated>>,
  lastDone: Date,
  commitCount: number
): Run {
  const seconds = (lastDone.getTime() - gated.released.getTime()) / 1000
  const run: Run = {
    side,
    consumers,
    items: volumes.items,
    seconds,
    shares: gated.shares,
    commits: commitCount,
    workersCpu: gated.workersCpuSeconds / seconds,
    machineCpu: gated.machineBusy,
  }
  log(
    `  ${side}, ${consumers} consumer(s): ${fixed(volumes.items / seconds, 0)} items/s ` +
      `(${fixed(seconds, 1)} s; shares ${gated.shares.join(' + ')}); load ${loadAverage()}`
  )
  return run
}

/*
| Verification
*/
/**
 * Every notification there exactly once, for the right user and event.
 */
async function verifyNotifications(client: pg.Client, volumes: Volumes, what: string) {
  const { rows } = await client.query(
    `SELECT
       (SELECT count(*) FROM notifications) AS notifications,
       (SELECT count(DISTINCT event_id) FROM notifications) AS events,
       (SELECT count(*) FROM outbox_events e
          WHERE NOT EXISTS (
            SELECT 1 FROM notifications n
            WHERE n.event_id = e.id AND n.user_id = (e.payload::json ->> 'creatorId')::int
              AND n.type = $1 AND n.telegram = $2 AND n.payload = e.payload)) AS missing`,
    [RULE.notification, RULE.telegram]
  )
  const found = Object.fromEntries(
    Object.entries(rows[0]).map(([key, value]) => [key, Number(value)])
  )
  if (
    found.notifications !== volumes.items ||
    found.events !== volumes.items ||
    found.missing !== 0
  ) {
    throw new Error(
      `${what}: ${found.notifications} notifications for ${found.events} events, ${found.missing} events ` +
        `without their notification (expected ${volumes.items}, ${volumes.items}, 0)`
    )
  }
}

async function verifyOutbox(client: pg.Client, volumes: Volumes) {
  const { rows } = await client.query(
    `SELECT status, count(*) AS n FROM outbox_events GROUP BY status ORDER BY status`
  )
  const statuses = rows.map((row) => `${row.status} ${row.n}`).join(', ')
  if (rows.length !== 1 || rows[0].status !== 'done' || Number(rows[0].n) !== volumes.items) {
    throw new Error(`outbox: events by status ${statuses} (expected done ${volumes.items})`)
  }
  await verifyNotifications(client, volumes, 'outbox')
}

async function verifyPgBoss(client: pg.Client, queue: string, volumes: Volumes) {
  const { rows } = await client.query(
    'SELECT state, count(*) AS n FROM pgboss.job WHERE name = $1 GROUP BY state ORDER BY state',
    [queue]
  )
  const states = rows.map((row) => `${row.state} ${row.n}`).join(', ')
  if (rows.length !== 1 || rows[0].state !== 'completed' || Number(rows[0].n) !== volumes.items) {
    throw new Error(`${queue}: jobs by state ${states} (expected completed ${volumes.items})`)
  }
  await verifyNotifications(client, volumes, queue)
}

/*
| Output
*/
function fixed(value: number, digits: number) {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

function rate(run: Run) {
  return run.items / run.seconds
}

function printResults(runs: Run[]) {
  printTable(
    [
      'side',
      'consumers',
      'items',
      'seconds',
      'items/s',
      'commits/item',
      'consumers CPU',
      'machine CPU',
      'shares',
    ],
    runs.map((run) => [
      run.side,
      String(run.consumers),
      run.items.toLocaleString('en-US'),
      fixed(run.seconds, 1),
      fixed(rate(run), 0),
      fixed(run.commits / run.items, 2),
      `${fixed(run.workersCpu * 100, 0)} %`,
      run.machineCpu === null ? '—' : `${fixed(run.machineCpu * 100, 0)} %`,
      run.shares.map((share) => share.toLocaleString('en-US')).join(' + '),
    ]),
    2
  )
  log('')
  const header = ['consumers', 'outbox items/s']
  for (const { side } of PGBOSS_SIDES) {
    header.push(`${side} items/s`, `outbox ÷ ${side}`)
  }
  const lines = CONSUMERS.map((consumers) => {
    const ours = runs.find((run) => run.side === 'outbox' && run.consumers === consumers)!
    const line = [String(consumers), fixed(rate(ours), 0)]
    for (const { side } of PGBOSS_SIDES) {
      const theirs = runs.find((run) => run.side === side && run.consumers === consumers)!
      const ratio = rate(ours) / rate(theirs)
      line.push(
        fixed(rate(theirs), 0),
        `${fixed(ratio, 2)} ${ratio >= TARGET_RATIO ? '(≥ 1)' : '(< 1)'}`
      )
    }
    return line
  })
  printTable(header, lines, 1)
}

/*
| Main
*/
async function main() {
  const { size, keepDatabase } = optionsFromArgs()
  keepDatabasesAfterwards(keepDatabase)
  const volumes = VOLUMES[size]
  const started = performance.now()
  log(`bench:outbox — size ${size}, database ${BENCH_DB} on ${PG_HOST}:${PG_PORT}`)
  log(machineLine())
  const env = {
    ...childEnv(0, BENCH_DB),
    WORKER_HEALTH_DIR: join(tmpdir(), `collab-bench-outbox-${process.pid}`),
  }

  await timed('create database', () => createDatabase(BENCH_DB))
  await timed('migrations', () => runAce(['migration:run', '--force'], env))

  const client = new pg.Client({ connectionString: DATABASE_URL })
  // The cleanup may drop the database under this session (SIGINT): its
  // error event must not end the process before the cleanup is done.
  client.on('error', () => {})
  await client.connect()
  const boss = new PgBoss({
    connectionString: DATABASE_URL,
    application_name: BENCH_APPLICATION,
    max: 2,
    supervise: false,
    schedule: false,
  })
  boss.on('error', (error) => log(`pg-boss: ${error.message}`))
  try {
    await timed('pg-boss schema', () => boss.start())
    await insertRecipients(client, volumes)
    const version = await client.query('SHOW server_version')
    log(`  PostgreSQL ${version.rows[0].server_version}, pg-boss ${pgBossVersion()}`)
    log(
      `  plan: ${volumes.items.toLocaleString('en-US')} items per run, ${volumes.recipients} recipients, ` +
        `batches of ${BATCH_SIZE}; ${EVENT_TYPE} → ${RULE.notification}; consumers ${CONSUMERS.join(', ')}`
    )
    log(
      `  outbox: ace outbox:consume --once --batch-size=${BATCH_SIZE}; pg-boss: fetch({ batchSize: ${BATCH_SIZE} }) → ` +
        'handler → complete(ids) in a loop, standard queue, pool max 2, no supervise/schedule in the workers'
    )
    const loadBefore = loadAverage()
    const runs: Run[] = []
    for (const consumers of CONSUMERS) {
      runs.push(await runOutbox(client, env, consumers, volumes))
      for (const side of PGBOSS_SIDES) {
        runs.push(await runPgBoss(boss, client, side, consumers, volumes))
      }
    }
    const loadAfter = loadAverage()

    log('')
    printResults(runs)
    log('')
    log(
      `verified: after every run, all ${volumes.items.toLocaleString('en-US')} items done ` +
        `(events done / jobs completed) and each notification there exactly once, with its user, type and payload`
    )
    log(`load average (1, 5, 15 min) before the load: ${loadBefore}, after: ${loadAfter}`)
    log(`total time ${((performance.now() - started) / 1000).toFixed(0)} s`)
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {})
    await client.end()
  }
}

function pgBossVersion() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules/pg-boss/package.json'), 'utf8'))
  return String(manifest.version)
}

await runBenchmark('bench:outbox', main)
