import { rm } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import ace from '@adonisjs/core/services/ace'
import hash from '@adonisjs/core/services/hash'
import User from '#models/user'
import UserCreate from '#commands/user_create'
import { truncateAll } from '#tests/support/database'
import { runAceProcess } from '#tests/support/commands'

async function runUserCreate(args: string[]) {
  const command = await ace.create(UserCreate, args)
  command.ui.switchMode('raw')
  await command.exec()
  return command
}

test.group('node ace user:create', (group) => {
  group.each.setup(() => truncateAll())

  test('creates an admin, the only way one can exist', async ({ assert }) => {
    const command = await runUserCreate([
      '--role=admin',
      '--email=Ops@Example.test',
      '--password=long enough password',
      '--name=Ops',
    ])
    assert.equal(command.exitCode, 0)
    const admin = await User.findByOrFail('email', 'ops@example.test')
    assert.equal(admin.role, 'admin')
    assert.notEqual(admin.password, 'long enough password')
  })

  test('takes the password from USER_PASSWORD, out of ps, and says when there is none', async ({
    assert,
  }) => {
    const flags = ['user:create', '--role=admin', '--email=env@example.test', '--name=Ops']
    const missing = await runAceProcess(flags, { USER_PASSWORD: '' })
    assert.equal(missing.exitCode, 1)
    assert.include(missing.output, 'password missing: pass --password or set USER_PASSWORD')

    const created = await runAceProcess(flags, { USER_PASSWORD: 'from the environment' })
    assert.equal(created.exitCode, 0, created.output)
    assert.notInclude(created.output, 'from the environment')
    const admin = await User.findByOrFail('email', 'env@example.test')
    assert.equal(admin.role, 'admin')
    assert.isTrue(await hash.verify(admin.password, 'from the environment'))
  })

  test('bad flags give one clear line and exit 1', async ({ assert }) => {
    const command = await runUserCreate([
      '--role=root',
      '--email=nope',
      '--password=short',
      '--name=X',
    ])
    assert.equal(command.exitCode, 1)
    const lines = command.ui.logger.getLogs().map((log) => log.message)
    assert.lengthOf(lines, 1)
    assert.match(lines[0], /email.*password.*role|role.*email/s)
    assert.equal(
      await User.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )
  })

  test('a taken e-mail exits 1 without a stack trace', async ({ assert }) => {
    const args = [
      '--role=brand',
      '--email=dup@example.test',
      '--password=long enough password',
      '--name=D',
    ]
    const first = await runUserCreate(args)
    assert.equal(first.exitCode, 0)
    const again = await runUserCreate(args)
    assert.equal(again.exitCode, 1)
    const lines = again.ui.logger.getLogs().map((log) => log.message)
    assert.lengthOf(lines, 1)
    assert.include(lines[0], 'уже зарегистрирован')
  })

  test('a database failure exits 1 and prints neither the e-mail, the name nor the password hash', async ({
    assert,
    cleanup,
  }) => {
    const emptyDatabase = `tmp/user-create-no-tables-${process.pid}.sqlite3`
    cleanup(() => rm(app.makePath(emptyDatabase), { force: true }))
    const { exitCode, output } = await runAceProcess(
      [
        'user:create',
        '--role=creator',
        '--email=anya.private@example.test',
        '--password=long enough password',
        '--name=Анна Приватная',
      ],
      { DB_CONNECTION: 'sqlite', SQLITE_PATH: emptyDatabase }
    )
    assert.equal(exitCode, 1)
    assert.include(output, 'no such table: users')
    assert.notInclude(output, 'anya.private')
    assert.notInclude(output, 'Приватная')
    assert.notInclude(output, '$scrypt')
  })
})
