import { test } from '@japa/runner'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import PerfCapture from '#commands/perf_capture'
import { resetRateLimits } from '#tests/support/auth'
import { truncateAll } from '#tests/support/database'
import { withUnreachableDatabase } from '#tests/support/unreachable_database'
import { runAceProcess } from '#tests/support/commands'

const OUT_DIR = `tmp/perf/test-${process.pid}`

async function runPerfCapture(args: string[]) {
  const command = await ace.create(PerfCapture, args)
  command.ui.switchMode('raw')
  await command.exec()
  const lines = command.ui.logger.getLogs().map((log) => log.message)
  return { exitCode: command.exitCode, lines, output: lines.join('\n') }
}

async function userCount() {
  const row = await db.from('users').count('* as total').first()
  return Number(row.total)
}

/**
 * The ranked table of the report: one row per query group.
 */
function groupRows(report: string) {
  return report
    .split('\n')
    .filter((line) => /^\| \d+ \| \d+ \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ')
      return { rank: Number(cells[0].slice(2)), calls: Number(cells[1]), sql: cells.at(-1)! }
    })
}

test.group('node ace perf:capture', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    await mkdir(app.makePath(OUT_DIR), { recursive: true })
    return () => rm(app.makePath(OUT_DIR), { recursive: true, force: true })
  })
  group.each.timeout(120_000)

  test('refuses to seed with NODE_ENV=production, in one line', async ({ assert }) => {
    const before = await userCount()
    const { exitCode, output } = await runAceProcess(['perf:capture', '--scale=0', '--rounds=0'], {
      NODE_ENV: 'production',
    })
    assert.equal(exitCode, 1, output)
    assert.include(output, 'perf:capture refuses to run with NODE_ENV=production')
    assert.equal(await userCount(), before)
  })

  test('records the workload, ranks the groups and explains the top one', async ({ assert }) => {
    const out = `${OUT_DIR}/report.md`
    const { exitCode, lines, output } = await runPerfCapture([
      '--scale=1',
      '--rounds=1',
      '--explain=3',
      `--out=${out}`,
    ])

    assert.equal(exitCode, 0, output)
    assert.match(lines.at(-1)!, new RegExp(`queries in \\d+ groups; report: .*${out}$`))
    const report = await readFile(app.makePath(out), 'utf8')
    const rows = groupRows(report)
    assert.isAbove(rows.length, 20)
    assert.deepEqual(
      rows.map((row) => row.rank),
      rows.map((_, index) => index + 1)
    )
    assert.isTrue(rows.every((row) => row.calls > 0))
    // Every request looks up its token: one group for all of them, not one per id.
    const tokenLookups = rows.filter((row) =>
      /select \* from .auth_access_tokens. where .id. = \?/.test(row.sql)
    )
    assert.lengthOf(tokenLookups, 1)
    assert.isAbove(tokenLookups[0].calls, 40)
    // The list pages read their rows by an IN list of ids, collapsed.
    assert.isTrue(rows.some((row) => row.sql.includes('in (...)')))
    assert.include(report, '2,000 offers, 6,000 applications')
    assert.match(report, /Rows when the workload started:\*\* 2\d\d users, 2,000 offers/)
    assert.include(report, 'the smoke flow (')
    assert.include(report, 'green')

    const topPlan = report.split('### 1. ')[1]?.split('### 2. ')[0] ?? ''
    assert.match(topPlan, /EXPLAIN/)
    assert.notInclude(topPlan, '(no plan')
    const planBlock = topPlan.split('`:\n\n```\n')[1]?.split('\n```')[0] ?? ''
    assert.isAbove(planBlock.trim().length, 0, topPlan)
    assert.notInclude(report, '@perf.test')

    // The connection's query log is off again.
    assert.isNotOk(db.manager.get(db.primaryConnectionName)!.connection!.config.debug)
  })

  test('bad flags: one line, exit 1, nothing written', async ({ assert }) => {
    for (const flag of ['--scale=-1', '--rounds=0', '--explain=51']) {
      const { exitCode, lines } = await runPerfCapture([flag, `--out=${OUT_DIR}/bad.md`])
      assert.equal(exitCode, 1, flag)
      assert.lengthOf(lines, 1, flag)
      assert.match(lines[0], /must be a whole number/)
    }
    assert.isFalse(existsSync(app.makePath(`${OUT_DIR}/bad.md`)))
    assert.equal(await userCount(), 0)
  })

  test('an --out that cannot be written: one line, exit 1, before any row is seeded', async ({
    assert,
  }) => {
    await writeFile(app.makePath(`${OUT_DIR}/a-file`), 'not a folder')
    const { exitCode, lines } = await runPerfCapture([`--out=${OUT_DIR}/a-file/report.md`])

    assert.equal(exitCode, 1)
    assert.lengthOf(lines, 1)
    assert.match(lines[0], /perf:capture: cannot write the report to .*a-file\/report\.md: /)
    assert.notInclude(lines[0], '    at ')
    assert.equal(await userCount(), 0)
  })

  test('the database down: one line, exit 1', async ({ assert }) => {
    let result: Awaited<ReturnType<typeof runPerfCapture>> | undefined
    await withUnreachableDatabase(async () => {
      result = await runPerfCapture([`--out=${OUT_DIR}/down.md`])
    })

    assert.equal(result!.exitCode, 1)
    assert.lengthOf(result!.lines, 1)
    assert.match(result!.lines[0], /perf:capture: cannot reach the database \(connection \w+\): /)
    assert.notInclude(result!.lines[0], '    at ')
    assert.isFalse(existsSync(app.makePath(`${OUT_DIR}/down.md`)))
  })
})
