/*
|--------------------------------------------------------------------------
| Shared pieces of the benchmarks (scripts/bench/*.ts)
|--------------------------------------------------------------------------
|
| Command line (--size tiny|full, --keep-db), logging, the PostgreSQL
| databases a benchmark makes (created next to the admin database, dropped
| at the end), ace commands and the real server run from the sources on the
| project's Node, and one cleanup that runs whatever happened: on success,
| on error and on SIGINT/SIGTERM.
|
| Environment: BENCH_SIZE (tiny|full), BENCH_PORT, PG_HOST, PG_PORT,
| PG_USER, PG_ADMIN_DB (as in .ci/run: 127.0.0.1, 5432, postgres, test;
| trust authentication).
|
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export type Size = 'tiny' | 'full'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const PG_HOST = process.env.PG_HOST ?? '127.0.0.1'
export const PG_PORT = Number(process.env.PG_PORT ?? 5432)
export const PG_USER = process.env.PG_USER ?? 'postgres'
export const PG_ADMIN_DB = process.env.PG_ADMIN_DB ?? 'test'

export function databaseUrl(database: string) {
  return `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}`
}

/*
| Command line
*/
export type Options = { size: Size; keepDatabase: boolean }

export class UsageError extends Error {}

export function optionsFromArgs(): Options {
  const args = process.argv.slice(2)
  let size = process.env.BENCH_SIZE ?? 'full'
  let keepDatabase = false
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]
    if (arg === '--size') {
      size = args[++index] ?? ''
    } else if (arg.startsWith('--size=')) {
      size = arg.slice('--size='.length)
    } else if (arg === '--keep-db') {
      keepDatabase = true
    } else {
      throw new UsageError(`unknown argument ${arg}`)
    }
  }
  if (size !== 'tiny' && size !== 'full') {
    throw new UsageError(`--size must be tiny or full, not "${size}"`)
  }
  return { size, keepDatabase }
}

/*
| Output
*/
export function loadAverage() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')
}

export function machineLine() {
  return (
    `  machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.versions.node}`
  )
}

export function log(line: string) {
  process.stdout.write(`${line}\n`)
}

export async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work()
  log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return result
}

export function percentile(samples: number[], p: number) {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]
}

/**
 * A Markdown table, padded so that it also reads as plain text: the first
 * `leftColumns` columns are aligned left, the others right.
 */
export function printTable(header: string[], lines: string[][], leftColumns: number) {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...lines.map((line) => line[column].length))
  )
  const row = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`
  log(row(header))
  log(
    `|${widths.map((width, column) => (column < leftColumns ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`
  )
  for (const line of lines) {
    log(row(line))
  }
}

/*
| Child processes (ace commands, the server) run on the Node that runs the
| benchmark: npm puts the project's Node 24 first on the PATH.
*/
export function childEnv(port: number, database: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    APP_KEY: `bench-${randomBytes(24).toString('base64url')}`,
    LOG_LEVEL: 'warn',
    DB_CONNECTION: 'pg',
    DATABASE_URL: databaseUrl(database),
    HOST: '127.0.0.1',
    PORT: String(port),
    LIMITER_STORE: 'memory',
    DB_QUERY_LOG: 'false',
  }
}

/**
 * Runs `node ace …` to its end; resolves with its output, rejects with it
 * when the command exits non-zero.
 */
export function runAce(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace', ...args], { cwd: ROOT, env, stdio: 'pipe' })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code === 0) {
        resolve(output.trim())
      } else {
        reject(new Error(`node ace ${args[0]} exited with ${code}:\n${output.trim()}`))
      }
    })
  })
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

/**
 * BENCH_PORT, or the first free port from `first` to `last`.
 */
export async function choosePort(first: number, last: number): Promise<number> {
  if (process.env.BENCH_PORT) {
    return Number(process.env.BENCH_PORT)
  }
  for (let port = first; port <= last; port++) {
    if (await portIsFree(port)) {
      return port
    }
  }
  throw new Error(`no free port between ${first} and ${last}; set BENCH_PORT`)
}

/*
| State that the cleanup undoes
*/
let server: ChildProcess | null = null
let serverOutput: string[] = []
const otherChildren = new Set<ChildProcess>()
const createdDatabases = new Set<string>()
let keepDatabases = false
let cleanedUp: Promise<void> | null = null

/**
 * A child process (other than the server) that the cleanup ends with
 * SIGTERM if it is still running, e.g. on SIGINT.
 */
export function stopOnCleanup(child: ChildProcess) {
  otherChildren.add(child)
  child.once('exit', () => otherChildren.delete(child))
}

/**
 * --keep-db: the cleanup leaves the databases behind (to look into them).
 */
export function keepDatabasesAfterwards(keep: boolean) {
  keepDatabases = keep
}

export function adminClient() {
  return new pg.Client({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: PG_ADMIN_DB })
}

/**
 * Creates a database next to the admin database; the cleanup drops it.
 */
export async function createDatabase(database: string) {
  const client = adminClient()
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${database}`)
    createdDatabases.add(database)
  } finally {
    await client.end()
  }
}

async function dropDatabases() {
  if (createdDatabases.size === 0) {
    return
  }
  if (keepDatabases) {
    for (const database of createdDatabases) {
      log(`kept the database ${database} (--keep-db): drop it with DROP DATABASE ${database}`)
    }
    return
  }
  const client = adminClient()
  await client.connect()
  try {
    for (const database of [...createdDatabases]) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
        createdDatabases.delete(database)
      } catch (error) {
        log(`cleanup: could not drop ${database}: ${(error as Error).message}`)
      }
    }
  } finally {
    await client.end()
  }
}

/**
 * Starts the real server from the sources (ts-exec) and waits, at most
 * 60 s, for a 200 from /api/health. The cleanup stops it.
 */
export async function startServer(env: NodeJS.ProcessEnv, baseUrl: string) {
  serverOutput = []
  const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server = child
  const keep = (chunk: Buffer) => {
    serverOutput.push(...chunk.toString().split('\n').filter(Boolean))
    serverOutput = serverOutput.slice(-60)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)

  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${serverTail()}`)
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) })
      await response.text()
      if (response.status === 200) {
        return
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`no 200 from /api/health within 60 s:\n${serverTail()}`)
}

/**
 * The running server's process id, or null.
 */
export function serverPid(): number | null {
  return server && server.exitCode === null && server.signalCode === null
    ? (server.pid ?? null)
    : null
}

/**
 * The server's last lines of output (at most 60).
 */
export function serverTail() {
  return serverOutput.length > 0 ? serverOutput.join('\n') : '(the server printed nothing)'
}

export async function stopServer() {
  const child = server
  server = null
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    return
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/**
 * Stops the server and drops the databases. Runs once, however often it
 * is called.
 */
export function cleanup(): Promise<void> {
  cleanedUp ??= (async () => {
    for (const child of otherChildren) {
      child.kill('SIGTERM')
    }
    try {
      await timed('stop server', stopServer)
    } catch (error) {
      log(`cleanup: could not stop the server: ${(error as Error).message}`)
    }
    try {
      await timed('drop database', dropDatabases)
    } catch (error) {
      log(
        `cleanup: could not drop ${[...createdDatabases].join(', ')}: ${(error as Error).message}`
      )
    }
  })()
  return cleanedUp
}

/**
 * Runs a benchmark's main function, then the cleanup, whatever happened.
 * Exit code: 0, 1 on an error, 2 on a usage error, 130 on SIGINT/SIGTERM.
 */
export async function runBenchmark(name: string, main: () => Promise<void>) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: cleaning up`)
      void cleanup().finally(() => process.exit(130))
    })
  }
  let exitCode = 0
  try {
    await main()
  } catch (error) {
    exitCode = error instanceof UsageError ? 2 : 1
    process.stderr.write(`${name} failed: ${(error as Error).message}\n`)
  } finally {
    await cleanup()
  }
  process.exitCode = exitCode
}
