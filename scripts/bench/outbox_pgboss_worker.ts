/*
|--------------------------------------------------------------------------
| bench:outbox — one pg-boss worker process (started by outbox.ts)
|--------------------------------------------------------------------------
|
| Fetches batches from one pg-boss queue, writes one notification per job
| (the row the outbox consumer writes for the same event), completes the
| batch, and exits when the queue is empty. Prints `done=<jobs>` at the end.
|
| It drives pg-boss's own fetch() and complete(), the two calls its work()
| loop makes around a handler, without the pause work() takes after every
| fetch (see outbox.ts).
|
| Handler:
|   job     one INSERT per job, each its own transaction (autocommit)
|   batch   one INSERT for the whole batch (one transaction)
|
| Usage (from outbox.ts):
|   node scripts/bench/outbox_pgboss_worker.ts <database url> <queue> <batch size> <job|batch>
|
*/
import PgBoss from 'pg-boss'

export type Handler = 'job' | 'batch'

export type JobData = {
  eventId: number
  userId: number
  type: string
  telegram: boolean
  payload: string
}

const INSERT_ONE = `INSERT INTO notifications (user_id, event_id, type, payload, telegram, created_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (event_id, user_id) DO NOTHING`

const INSERT_MANY = `INSERT INTO notifications (user_id, event_id, type, payload, telegram, created_at)
  SELECT user_id, event_id, type, payload, telegram, $6
  FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::boolean[])
    AS job (user_id, event_id, type, payload, telegram)
  ON CONFLICT (event_id, user_id) DO NOTHING`

async function handle(boss: PgBoss, handler: Handler, jobs: PgBoss.Job<JobData>[]) {
  const db = boss.getDb()
  if (handler === 'job') {
    for (const { data } of jobs) {
      await db.executeSql(INSERT_ONE, [
        data.userId,
        data.eventId,
        data.type,
        data.payload,
        data.telegram,
        new Date(),
      ])
    }
    return
  }
  await db.executeSql(INSERT_MANY, [
    jobs.map(({ data }) => data.userId),
    jobs.map(({ data }) => data.eventId),
    jobs.map(({ data }) => data.type),
    jobs.map(({ data }) => data.payload),
    jobs.map(({ data }) => data.telegram),
    new Date(),
  ])
}

async function main() {
  const [connectionString, queue, batchArg, handlerArg] = process.argv.slice(2)
  const batchSize = Number(batchArg)
  if (!connectionString || !queue || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      'usage: outbox_pgboss_worker.ts <database url> <queue> <batch size> <job|batch>'
    )
  }
  if (handlerArg !== 'job' && handlerArg !== 'batch') {
    throw new Error(`handler must be job or batch, not "${handlerArg}"`)
  }
  // The bench has installed the schema and made the queue: this process
  // only works, like a worker next to the one that runs maintenance.
  const boss = new PgBoss({
    connectionString,
    max: 2,
    migrate: false,
    supervise: false,
    schedule: false,
  })
  boss.on('error', (error) => process.stderr.write(`pg-boss: ${error.message}\n`))
  await boss.start()
  let done = 0
  try {
    for (;;) {
      const jobs = await boss.fetch<JobData>(queue, { batchSize })
      if (jobs.length === 0) {
        break
      }
      await handle(boss, handlerArg, jobs)
      await boss.complete(
        queue,
        jobs.map((job) => job.id)
      )
      done += jobs.length
    }
  } finally {
    await boss.stop({ graceful: false, wait: true })
  }
  process.stdout.write(`done=${done}\n`)
}

try {
  await main()
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exitCode = 1
}
