import { test } from '@japa/runner'
import { blockUser, unblockUser } from '#services/users/block_user'
import { activeChatsByUser, hashBindingCode } from '#services/telegram/bindings'
import { DateTime } from 'luxon'
import type { Bot } from 'grammy'
import type { Update } from 'grammy/types'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import { party } from '#tests/support/marketplace'
import { logMark, logTextSince } from '#tests/support/logs'
import { startFakeTelegram, type FakeTelegram } from '#tests/support/fake_telegram_api'
import { botAgainst } from '#tests/support/fake_telegram_bot'
import {
  botAddedToGroup,
  botMembership,
  groupMessage,
  privateMessage,
  startCommand,
  stopCommand,
} from '#tests/support/telegram_updates'
import { takeInUpdate } from '#services/telegram/update_intake'
import { START_ATTEMPT_LIMIT } from '#services/telegram/activate_binding'
import { toDbTimestamp } from '#services/database/timestamps'

let fake: FakeTelegram
let bot: Bot
let nextChat = 1_000_000

function newChat() {
  nextChat += 1
  return nextChat
}

function send(update: Update) {
  return takeInUpdate(bot, update)
}

/** The texts the fake delivered to a chat, as Telegram would show them. */
function repliesTo(chatId: number) {
  return fake.sent(chatId).map((request) => String(request.payload.text))
}

async function newCode(client: ApiClient, token: string) {
  const response = await client.post('/api/telegram/binding').bearerToken(token)
  response.assertStatus(201)
  return response.body().data.code as string
}

/** A creator whose new chat is bound through the bot, as a user does it. */
async function boundCreator(client: ApiClient) {
  const creator = await party('creator')
  const chatId = newChat()
  await send(startCommand(chatId, await newCode(client, creator.token)))
  return { creator, chatId }
}

async function shownStatus(client: ApiClient, token: string) {
  const response = await client.get('/api/telegram/binding').bearerToken(token)
  return response.body().data.binding?.status ?? null
}

test.group('Telegram bot: binding by /start, /stop and blocking', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
    fake = await startFakeTelegram({ perChatPerSecond: 1000, totalPerSecond: 1000 })
    bot = botAgainst(fake)
    return () => fake.close()
  })

  test('/start with a valid code activates the binding and answers in Russian', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    await db.from('users').where('id', creator.user.id).update({ display_name: 'Аня <Dev> & "Co"' })
    const code = await newCode(client, creator.token)
    const chatId = newChat()
    const mark = logMark()

    assert.equal(await send(startCommand(chatId, code, chatId + 7)), 'handled')

    assert.equal(await shownStatus(client, creator.token), 'active')
    const [row] = await db.from('telegram_bindings').where('user_id', creator.user.id)
    assert.equal(Number(row.chat_id), chatId)
    assert.equal(Number(row.telegram_user_id), chatId + 7)
    assert.isNotNull(row.bound_at)
    assert.equal(row.code_hash, hashBindingCode(code), 'kept, so a second tap is recognised')

    const [reply] = fake.sent(chatId)
    assert.equal(reply.payload.parse_mode, 'HTML')
    assert.include(reply.payload.text, 'Аня &lt;Dev&gt; &amp; &quot;Co&quot;')
    assert.include(reply.payload.text, 'Аккаунт Collab подключён')

    const logs = logTextSince(mark)
    assert.include(logs, 'telegram /start')
    assert.notInclude(logs, code)
    assert.notInclude(logs, String(chatId))
    assert.notInclude(logs, fake.token)
  })

  test('a wrong code gets a Russian reply and counts an attempt for the chat', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    await newCode(client, creator.token)
    const chatId = newChat()

    await send(startCommand(chatId, 'not-a-real-code-at-all-0123456789'))
    await send(startCommand(chatId, 'код!'))

    assert.deepEqual(repliesTo(chatId), [
      'Код не подошёл: он неверный или уже использован. Получите новый код в Collab, в разделе «Telegram».',
      'Код не подошёл: он неверный или уже использован. Получите новый код в Collab, в разделе «Telegram».',
    ])
    assert.equal(await shownStatus(client, creator.token), 'pending')
    const counters = await db.from('rate_limits')
    assert.lengthOf(counters, 1)
    assert.equal(counters[0].points, 2)
    assert.notInclude(counters[0].key, String(chatId))
  })

  test('an expired code gets a Russian reply, counts on the binding, and stays expired', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    await db
      .from('telegram_bindings')
      .update({ expires_at: toDbTimestamp(DateTime.now().minus({ minutes: 1 })) })
    const chatId = newChat()

    await send(startCommand(chatId, code))
    await send(startCommand(chatId, code))

    assert.lengthOf(repliesTo(chatId), 2)
    for (const text of repliesTo(chatId)) {
      assert.include(text, 'Срок действия кода истёк')
    }
    const [row] = await db.from('telegram_bindings')
    assert.equal(row.status, 'expired')
    assert.equal(row.attempts, 2)
    assert.isNull(row.chat_id)
    assert.equal(await shownStatus(client, creator.token), 'expired')
    const [counter] = await db.from('rate_limits')
    assert.equal(counter.points, 2)
  })

  test('a used code gets a Russian reply and the binding stays with its chat', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const owner = newChat()
    const stranger = newChat()

    await send(startCommand(owner, code))
    await send(startCommand(stranger, code))

    assert.include(repliesTo(stranger)[0], 'уже использован')
    const [row] = await db.from('telegram_bindings')
    assert.equal(row.status, 'active')
    assert.equal(Number(row.chat_id), owner)
    const [counter] = await db.from('rate_limits')
    assert.equal(counter.points, 1)
  })

  test('too many failed attempts from one chat are refused without a lookup', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const guesser = newChat()

    for (let attempt = 0; attempt < START_ATTEMPT_LIMIT.attempts; attempt += 1) {
      await send(startCommand(guesser, `guess-${attempt}-abcdefghijklmnopqrstuvwx`))
    }
    await send(startCommand(guesser, code))

    const replies = repliesTo(guesser)
    assert.lengthOf(replies, START_ATTEMPT_LIMIT.attempts + 1)
    assert.match(
      replies.at(-1)!,
      /^Слишком много неверных попыток\. Попробуйте снова через \d+ мин\.$/
    )
    assert.equal(await shownStatus(client, creator.token), 'pending')

    const other = newChat()
    await send(startCommand(other, code))
    assert.equal(await shownStatus(client, creator.token), 'active')
  })

  test('two concurrent /start with one code activate it once', async ({ client, assert }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const first = newChat()
    const second = newChat()

    const outcomes = await Promise.all([
      send(startCommand(first, code)),
      send(startCommand(second, code)),
    ])

    assert.deepEqual(outcomes, ['handled', 'handled'])
    const rows = await db.from('telegram_bindings')
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].status, 'active')
    const winner = Number(rows[0].chat_id)
    const loser = winner === first ? second : first
    assert.include(repliesTo(winner)[0], 'Аккаунт Collab подключён')
    assert.include(repliesTo(loser)[0], 'уже использован')
  })

  test('the same chat sending its code twice at once ends with one active binding', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const chatId = newChat()

    await Promise.all([send(startCommand(chatId, code)), send(startCommand(chatId, code))])

    const replies = repliesTo(chatId)
    assert.lengthOf(replies, 2)
    assert.equal(await shownStatus(client, creator.token), 'active')
    assert.lengthOf(
      replies.filter((text) => text.includes('Аккаунт Collab подключён')),
      1
    )
  })

  test('codes of several accounts sent at once from one chat leave the chat bound to one', async ({
    client,
    assert,
  }) => {
    const chatId = newChat()
    const codes: string[] = []
    for (let i = 0; i < 8; i++) {
      codes.push(await newCode(client, (await party('creator')).token))
    }

    await Promise.all(codes.map((code) => send(startCommand(chatId, code))))

    const bound = await db
      .from('telegram_bindings')
      .where('chat_id', chatId)
      .whereIn('status', ['active', 'inactive'])
    assert.lengthOf(bound, 1)
    assert.equal(bound[0].status, 'active')
  })

  test('/stop revokes the chat binding with a Russian confirmation', async ({ client, assert }) => {
    const { creator, chatId } = await boundCreator(client)

    await send(stopCommand(chatId))
    assert.equal(await shownStatus(client, creator.token), 'revoked')
    await send(stopCommand(chatId))

    const replies = repliesTo(chatId)
    assert.equal(
      replies[1],
      'Уведомления Collab отключены. Чтобы подключить их снова, получите новый код в Collab.'
    )
    assert.equal(replies[2], 'Этот чат не подключён к Collab, отключать нечего.')

    await send(botMembership(chatId, 'member'))
    assert.equal(await shownStatus(client, creator.token), 'revoked')
  })

  test('blocking the bot makes the binding inactive, unblocking makes it active again', async ({
    client,
    assert,
  }) => {
    const { creator, chatId } = await boundCreator(client)

    await send(botMembership(chatId, 'kicked'))
    assert.equal(await shownStatus(client, creator.token), 'inactive')
    assert.lengthOf(fake.sent(chatId), 1)

    await send(botMembership(chatId, 'member'))
    assert.equal(await shownStatus(client, creator.token), 'active')
    assert.equal(
      repliesTo(chatId).at(-1),
      'С возвращением! Уведомления Collab снова будут приходить в этот чат.'
    )
  })

  test('a code asked for before an admin blocked the account binds nothing', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    await blockUser(creator.user)
    const chatId = newChat()

    await send(startCommand(chatId, code))

    const [row] = await db.from('telegram_bindings').where('user_id', creator.user.id)
    assert.equal(row.status, 'pending')
    assert.isNull(row.chat_id)
    assert.equal(
      repliesTo(chatId).at(-1),
      'Аккаунт Collab заблокирован администратором, поэтому Telegram к нему не подключить. ' +
        'Вопросы — в поддержку Collab.'
    )
  })

  test('the chat of an account an admin blocked, unblocked meanwhile in Telegram, receives again once the admin unblocks', async ({
    client,
    assert,
  }) => {
    const { creator, chatId } = await boundCreator(client)
    await send(botMembership(chatId, 'kicked'))
    await blockUser(creator.user)

    await send(botMembership(chatId, 'member'))

    const [row] = await db.from('telegram_bindings').where('user_id', creator.user.id)
    assert.equal(row.status, 'active', 'Telegram tells of the unblock only once')
    assert.lengthOf(fake.sent(chatId), 1, 'only the first greeting: no welcome back while blocked')
    assert.deepEqual(await activeChatsByUser([creator.user.id]), new Map())
    await unblockUser(creator.user)
    assert.deepEqual(
      await activeChatsByUser([creator.user.id]),
      new Map([[creator.user.id, chatId]])
    )
  })

  test('binding again via the API replaces the old binding', async ({ client, assert }) => {
    const { creator, chatId } = await boundCreator(client)

    const secondCode = await newCode(client, creator.token)
    assert.equal(await shownStatus(client, creator.token), 'pending')
    const otherChat = newChat()
    await send(startCommand(otherChat, secondCode))

    const rows = await db.from('telegram_bindings').orderBy('id')
    assert.deepEqual(
      rows.map((row) => [row.status, row.chat_id === null ? null : Number(row.chat_id)]),
      [
        ['revoked', chatId],
        ['active', otherChat],
      ]
    )
  })

  test('a chat bound to another account moves to the new one', async ({ client, assert }) => {
    const first = await party('creator')
    const second = await party('brand')
    const chatId = newChat()
    await send(startCommand(chatId, await newCode(client, first.token)))
    await send(startCommand(chatId, await newCode(client, second.token)))

    assert.equal(await shownStatus(client, first.token), 'revoked')
    assert.equal(await shownStatus(client, second.token), 'active')
  })

  test('tapping the deep link again in the bound chat says it is bound and never locks the chat', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const chatId = newChat()
    for (let tap = 0; tap <= START_ATTEMPT_LIMIT.attempts + 1; tap++) {
      await send(startCommand(chatId, code))
    }
    const replies = repliesTo(chatId)
    assert.include(replies[0], 'Аккаунт Collab подключён')
    for (const again of replies.slice(1)) {
      assert.equal(again, 'Этот чат уже подключён к Collab.')
    }
    assert.lengthOf(await db.from('rate_limits'), 0)
    assert.equal(await shownStatus(client, creator.token), 'active')
  })

  test('a code posted in a group is revoked there, unused, and the account is not named', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const code = await newCode(client, creator.token)
    const groupChat = -1_001_234_567_890 - newChat()
    const classmate = newChat()

    await send(groupMessage(groupChat, `/start ${code}`, classmate))
    const [inGroup] = repliesTo(groupChat)
    assert.include(inGroup, 'Этот код отменён')
    assert.notInclude(inGroup, creator.user.displayName)
    assert.equal(await shownStatus(client, creator.token), 'revoked')

    await send(startCommand(classmate, code))
    assert.include(repliesTo(classmate)[0], 'Код не подошёл')
    assert.deepEqual(await activeChatsByUser([creator.user.id]), new Map())

    await send(groupMessage(groupChat, '/start', classmate))
    assert.include(repliesTo(groupChat).at(-1)!, 'только в личном чате')
  })

  test('added to a group, the bot leaves it', async ({ assert }) => {
    const groupChat = -1_001_234_567_890 - newChat()
    await send(botAddedToGroup(groupChat, newChat()))
    const left = fake.requests.filter((request) => request.method === 'leaveChat')
    assert.lengthOf(left, 1)
    assert.equal(Number(left[0].payload.chat_id), groupChat)
  })

  test('any other message in a private chat gets the help, a few a minute; a service message nothing', async ({
    assert,
  }) => {
    const chatId = newChat()
    const pinned = privateMessage(chatId, 'привет') as Update & { message: any }
    pinned.message.pinned_message = { ...pinned.message, text: 'старое' }
    delete pinned.message.text
    await send(pinned)
    assert.lengthOf(repliesTo(chatId), 0, 'a pin is not a message to answer')

    for (const text of ['привет', 'AbCdEf123', '/unknown', 'ещё', 'и ещё']) {
      await send(privateMessage(chatId, text))
    }
    const replies = repliesTo(chatId)
    assert.lengthOf(replies, 3, 'at most three help replies a minute')
    for (const help of replies) {
      assert.include(help, 'Это бот уведомлений Collab.')
    }
  })

  test('the bound chat tapping its link again while the bot was blocked, or the account is, is told so and not counted', async ({
    client,
    assert,
  }) => {
    const creator = await party('creator')
    const chatId = newChat()
    const code = await newCode(client, creator.token)
    await send(startCommand(chatId, code))
    await send(botMembership(chatId, 'kicked'))
    await send(startCommand(chatId, code))
    assert.equal(repliesTo(chatId).at(-1), 'Этот чат уже подключён к Collab.')

    await blockUser(creator.user)
    await send(startCommand(chatId, code))
    assert.include(repliesTo(chatId).at(-1)!, 'Аккаунт Collab заблокирован')
    assert.lengthOf(await db.from('rate_limits'), 0)
  })

  test('plain /start and /help explain how to bind, in Russian', async ({ client, assert }) => {
    const chatId = newChat()
    await send(startCommand(chatId))
    await send(privateMessage(chatId, '/help'))
    assert.include(repliesTo(chatId)[0], 'Это бот уведомлений Collab.')
    assert.include(repliesTo(chatId)[1], 'Это бот уведомлений Collab.')

    const creator = await party('creator')
    await send(startCommand(chatId, await newCode(client, creator.token)))
    await send(startCommand(chatId))
    assert.include(repliesTo(chatId).at(-1)!, 'Этот чат подключён к Collab')
    assert.lengthOf(await db.from('rate_limits'), 0)
  })
})
