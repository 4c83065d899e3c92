import { test } from '@japa/runner'
import { compareSchemas } from '#services/schema/compare_schemas'
import type { TableSchema } from '#services/schema/schema_snapshot'
import { checksOfCreateTable, partsOfCreateIndex } from '#services/schema/sqlite_ddl'

function table(overrides: Partial<TableSchema> = {}): TableSchema {
  return {
    name: 'deals',
    columns: [
      { name: 'id', type: 'integer', nullable: false, defaultValue: null },
      { name: 'status', type: 'varchar(20)', nullable: false, defaultValue: "'draft'" },
    ],
    primaryKey: ['id'],
    indexes: [],
    foreignKeys: [
      {
        columns: ['offer_id'],
        referencedTable: 'offers',
        referencedColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'NO ACTION',
      },
    ],
    checks: [],
    triggers: [],
    ...overrides,
  }
}

test.group('SQLite DDL reading', () => {
  test('finds named, unnamed, table-level and column-level CHECKs', ({ assert }) => {
    const sql =
      'CREATE TABLE `t` (`id` integer not null primary key, `note` text check (length(note) < 10), ' +
      "`kind` varchar(8) constraint t_kind_check check (kind in ('a, b', 'c')) not null, " +
      'constraint "T_Total_Check" CHECK ((a + b) > 0), check (id <> 0))'
    assert.deepEqual(checksOfCreateTable(sql), [
      { name: null, expression: 'length(note) < 10' },
      { name: 't_kind_check', expression: "kind in ('a, b', 'c')" },
      { name: 't_total_check', expression: '(a + b) > 0' },
      { name: null, expression: 'id <> 0' },
    ])
  })

  test('reads the expressions and the WHERE clause of an index', ({ assert }) => {
    assert.deepEqual(
      partsOfCreateIndex(
        'CREATE UNIQUE INDEX one ON "invites" ( `offer_id`, lower(email) ) WHERE status = \'pending\''
      ),
      { columns: ['offer_id', 'lower(email)'], predicate: "status = 'pending'" }
    )
    assert.deepEqual(partsOfCreateIndex('CREATE INDEX i on `t` (`a`, `b`)'), {
      columns: ['a', 'b'],
      predicate: null,
    })
  })
})

test.group('schema comparison', () => {
  test('identical schemas have no difference', ({ assert }) => {
    assert.deepEqual(
      compareSchemas({ live: { tables: [table()] }, expected: { tables: [table()] } }),
      []
    )
  })

  test('names each changed default, type, primary key and foreign key action', ({ assert }) => {
    const live = table({
      columns: [
        { name: 'id', type: 'bigint', nullable: false, defaultValue: null },
        { name: 'status', type: 'varchar(20)', nullable: false, defaultValue: null },
      ],
      primaryKey: ['id', 'status'],
      foreignKeys: [{ ...table().foreignKeys[0], onDelete: 'RESTRICT' }],
    })
    const messages = compareSchemas({
      live: { tables: [live] },
      expected: { tables: [table()] },
    }).map((difference) => difference.message)
    assert.deepEqual(messages, [
      'deals.id: type is bigint in live database, migrations give integer',
      "deals.status: default is none in live database, migrations give 'draft'",
      'deals: primary key is (id, status) in live database, migrations give (id)',
      'deals: foreign key (offer_id) → offers(id) has ON DELETE RESTRICT in live database, migrations give CASCADE',
    ])
  })

  test('a missing foreign key and an extra table are told apart', ({ assert }) => {
    const differences = compareSchemas({
      live: { tables: [table({ foreignKeys: [] }), table({ name: 'old_deals' })] },
      expected: { tables: [table()] },
    })
    assert.deepEqual(differences, [
      {
        kind: 'missing',
        table: 'deals',
        message: 'deals: foreign key (offer_id) → offers(id) missing in live database',
      },
      {
        kind: 'unexpected',
        table: 'old_deals',
        message: 'old_deals: table in live database, not created by the migrations',
      },
    ])
  })
})
