import { spawn } from 'node:child_process'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { runAceProcess, unusedPort } from '#tests/support/commands'

/**
 * The HTTP server's entry point as production starts it, with a bound: a
 * server that boots despite a broken environment is stopped and reported
 * with a null exit code.
 */
function runServerProcess(env: Record<string, string>) {
  return new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'test', ...env },
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const bound = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(bound)
      resolve({ exitCode, output })
    })
  })
}

function lines(output: string) {
  return output.trim().split('\n')
}

test.group('Environment validation at boot', () => {
  test('DB_CONNECTION=pg without DATABASE_URL stops an ace command in one line', async ({
    assert,
  }) => {
    const { exitCode, output } = await runAceProcess(['list'], {
      DB_CONNECTION: 'pg',
      DATABASE_URL: '',
    })
    assert.equal(exitCode, 1)
    assert.deepEqual(lines(output), [
      'Invalid environment: Missing environment variable "DATABASE_URL" (required with DB_CONNECTION=pg)',
    ])
  })

  test('DB_CONNECTION=pg without DATABASE_URL stops the HTTP server in one line', async ({
    assert,
  }) => {
    const { exitCode, output } = await runServerProcess({
      DB_CONNECTION: 'pg',
      DATABASE_URL: '',
      PORT: String(await unusedPort()),
    })
    assert.equal(exitCode, 1)
    assert.deepEqual(lines(output), [
      'Invalid environment: Missing environment variable "DATABASE_URL" (required with DB_CONNECTION=pg)',
    ])
  })

  test('a DATABASE_URL that is not a PostgreSQL URL is refused without echoing it: {kind}')
    .with([
      { kind: 'another scheme', url: 'mysql://collab:s3cret-pass@db.internal/collab' },
      { kind: 'no scheme', url: 'collab:s3cret-pass@db.internal/collab' },
    ])
    .run(async ({ assert }, { url }) => {
      const { exitCode, output } = await runAceProcess(['list'], {
        DB_CONNECTION: 'pg',
        DATABASE_URL: url,
      })
      assert.equal(exitCode, 1)
      assert.deepEqual(lines(output), [
        'Invalid environment: "DATABASE_URL" must be a postgres:// or postgresql:// URL',
      ])
      assert.notInclude(output, 's3cret-pass')
    })

  test('every problem is named on the one line', async ({ assert }) => {
    const { exitCode, output } = await runAceProcess(['list'], {
      DB_CONNECTION: 'pg',
      DATABASE_URL: '',
      LOG_LEVEL: 'loud',
    })
    assert.equal(exitCode, 1)
    assert.lengthOf(lines(output), 1)
    assert.include(output, '"LOG_LEVEL"')
    assert.include(output, '"DATABASE_URL"')
  })

  test('the line names a malformed variable without its value, which may hold a password', async ({
    assert,
  }) => {
    const { exitCode, output } = await runAceProcess(['list'], {
      REDIS_URL: 'redis://:s3cret-pass@',
      PORT: 'port-s3cret\nsecond-line-s3cret',
    })
    assert.equal(exitCode, 1)
    assert.lengthOf(lines(output), 1)
    assert.include(output, '"REDIS_URL"')
    assert.include(output, '"PORT"')
    assert.notInclude(output, 's3cret')
  })

  test('a PostgreSQL URL passes, and SQLite needs none', async ({ assert }) => {
    const pg = await runAceProcess(['list'], {
      DB_CONNECTION: 'pg',
      DATABASE_URL: 'postgresql://collab@127.0.0.1:5432/collab',
    })
    assert.equal(pg.exitCode, 0, pg.output)
    const sqlite = await runAceProcess(['list'], { DB_CONNECTION: 'sqlite', DATABASE_URL: '' })
    assert.equal(sqlite.exitCode, 0, sqlite.output)
  })
})
