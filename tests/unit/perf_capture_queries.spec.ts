import { test } from '@japa/runner'
import { normalizeSql } from '#services/perf/normalize_sql'
import { groupQueries } from '#services/perf/query_groups'
import { statementKind } from '#services/perf/explain_query'
import { resolvePerfOptions } from '#services/perf/perf_options'
import { shownBindings } from '#services/perf/perf_report'
import type { RecordedQuery } from '#services/perf/query_recorder'

function recorded(sql: string, durationMs: number, rows: number | null = 1): RecordedQuery {
  return { sql, bindings: [], durationMs, rows, failed: false }
}

test.group('perf:capture normalizes SQL', () => {
  test('bind placeholders and literals become ?', ({ assert }) => {
    assert.equal(
      normalizeSql(`select * from "users" where "id" = $1 and "role" = 'it''s' limit 20`),
      'select * from "users" where "id" = ? and "role" = ? limit ?'
    )
    assert.equal(
      normalizeSql('select * from `offers` where `id` = ? and budget > -1.5'),
      'select * from `offers` where `id` = ? and budget > ?'
    )
  })

  test('digits inside identifiers and quoted names stay', ({ assert }) => {
    assert.equal(
      normalizeSql('select t1.id, "col2" from table_2 t1 where "x3" = 3'),
      'select t1.id, "col2" from table_2 t1 where "x3" = ?'
    )
  })

  test('IN lists of any length collapse to one shape', ({ assert }) => {
    const one = normalizeSql('select * from "offers" where "id" in (?)')
    const many = normalizeSql('select * from "offers" where "id" IN ($1, $2,\n $3)')
    assert.equal(one, 'select * from "offers" where "id" in (...)')
    assert.equal(many, 'select * from "offers" where "id" IN (...)')
  })

  test('multi-row VALUES collapse to the first row', ({ assert }) => {
    assert.equal(
      normalizeSql('insert into "t" ("a", "b") values ($1, $2), ($3, $4), ($5, $6)'),
      'insert into "t" ("a", "b") values (?, ?), ...'
    )
  })

  test('whitespace is squashed and a trailing semicolon dropped', ({ assert }) => {
    assert.equal(normalizeSql('  select\n\t*\n  from   "users"  ;  '), 'select * from "users"')
  })
})

test.group('perf:capture groups and ranks queries', () => {
  test('counts, total, p95, rows and the slowest call per group; most total time first', ({
    assert,
  }) => {
    const fast = Array.from({ length: 20 }, (_, index) =>
      recorded(`select * from "users" where "id" = ${index}`, 1 + index / 10)
    )
    const slow = [
      recorded('update "offers" set "title" = ? where "id" in (?, ?)', 30, 2),
      recorded('update "offers" set "title" = ? where "id" in (?)', 20, null),
    ]
    const groups = groupQueries([...fast, ...slow])

    assert.lengthOf(groups, 2)
    assert.equal(groups[0].sql, 'update "offers" set "title" = ? where "id" in (...)')
    assert.equal(groups[0].calls, 2)
    assert.equal(groups[0].totalMs, 50)
    assert.equal(groups[0].rows, 2)
    assert.equal(groups[0].slowest.durationMs, 30)
    assert.equal(groups[1].sql, 'select * from "users" where "id" = ?')
    assert.equal(groups[1].calls, 20)
    assert.closeTo(groups[1].totalMs, 20 + 19, 1e-9)
    // Nearest rank: the 19th of 20 sorted durations.
    assert.closeTo(groups[1].p95Ms, 2.8, 1e-9)
    assert.equal(groups[1].rows, 20)
  })

  test('only reads may run again under EXPLAIN ANALYZE', ({ assert }) => {
    assert.equal(statementKind('select * from "deals" for update'), 'read')
    assert.equal(statementKind('WITH x AS (select 1) select * from x'), 'read')
    assert.equal(statementKind('with x as (delete from t returning id) select * from x'), 'write')
    assert.equal(statementKind('insert into "ledger_entries" values (?)'), 'write')
    assert.equal(statementKind('update "offers" set "updated_at" = ?'), 'write')
    assert.equal(statementKind('delete from "sessions"'), 'write')
    assert.equal(statementKind('PRAGMA foreign_keys = ON'), 'other')
  })

  test('report bindings hide e-mail addresses and long values', ({ assert }) => {
    assert.equal(
      shownBindings(['a@b.test', 'x'.repeat(100), 'short', 7, null]),
      '["<e-mail>","<100 characters>","short",7,null]'
    )
  })
})

test.group('perf:capture flags', () => {
  const now = new Date('2026-11-26T08:00:00.000Z')
  const defaults = { scale: 1, rounds: 3, explain: 10 }

  test('defaults name a timestamped report under tmp/perf', ({ assert }) => {
    const resolved = resolvePerfOptions(defaults, now)
    assert.deepEqual(resolved, {
      options: { ...defaults, out: 'tmp/perf/report-2026-11-26T08-00-00-000Z.md' },
    })
  })

  test('out-of-range or non-numeric values are one line each', ({ assert }) => {
    assert.deepEqual(resolvePerfOptions({ ...defaults, scale: -1 }, now), {
      problem: '--scale must be a whole number from 0 to 500, got -1',
    })
    assert.deepEqual(resolvePerfOptions({ ...defaults, rounds: Number.NaN }, now), {
      problem: '--rounds must be a whole number from 1 to 100, got NaN',
    })
    assert.deepEqual(resolvePerfOptions({ ...defaults, explain: 2.5 }, now), {
      problem: '--explain must be a whole number from 0 to 50, got 2.5',
    })
    assert.deepEqual(resolvePerfOptions({ ...defaults, out: ' ' }, now), {
      problem: '--out must name a file',
    })
  })
})
