import type { Update } from 'grammy/types'

/**
 * Bot API updates as Telegram sends them, for feeding the bot in tests.
 * Update ids are unique within a run.
 */
let nextUpdateId = 500_000 + Math.floor(Math.random() * 100_000)
let nextMessageId = 1

export function newUpdateId() {
  return nextUpdateId++
}

function person(id: number) {
  return { id, is_bot: false, first_name: 'Тест' }
}

/**
 * A text message in a private chat; a leading /command gets its
 * bot_command entity, as Telegram marks it.
 */
export function privateMessage(chatId: number, text: string, fromId = chatId): Update {
  const command = /^\/\S+/.exec(text)
  return {
    update_id: newUpdateId(),
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Тест' },
      from: person(fromId),
      text,
      ...(command
        ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }
        : {}),
    },
  } as Update
}

/**
 * A text message in a supergroup (a negative chat id), from a member.
 */
export function groupMessage(chatId: number, text: string, fromId: number): Update {
  const update = privateMessage(chatId, text, fromId) as Update & { message: any }
  update.message.chat = { id: chatId, type: 'supergroup', title: '9Б' }
  return update
}

/**
 * Someone adds the bot to a group (`member`), as Telegram reports it.
 */
export function botAddedToGroup(chatId: number, byUserId: number): Update {
  const update = botMembership(chatId, 'member') as Update & { my_chat_member: any }
  update.my_chat_member.chat = { id: chatId, type: 'group', title: '9Б' }
  update.my_chat_member.from = person(byUserId)
  update.my_chat_member.old_chat_member = {
    status: 'left',
    user: update.my_chat_member.new_chat_member.user,
  }
  return update
}

export function startCommand(chatId: number, code?: string, fromId = chatId) {
  return privateMessage(chatId, code === undefined ? '/start' : `/start ${code}`, fromId)
}

export function stopCommand(chatId: number) {
  return privateMessage(chatId, '/stop')
}

/**
 * The user blocks (`kicked`) or unblocks (`member`) the bot in their
 * private chat.
 */
export function botMembership(chatId: number, status: 'kicked' | 'member'): Update {
  const botUser = { id: 7_000_000_001, is_bot: true, first_name: 'Collab' }
  const was = status === 'kicked' ? 'member' : 'kicked'
  const date = Math.floor(Date.now() / 1000)
  return {
    update_id: newUpdateId(),
    my_chat_member: {
      chat: { id: chatId, type: 'private', first_name: 'Тест' },
      from: person(chatId),
      date,
      old_chat_member:
        was === 'kicked'
          ? { status: 'kicked', user: botUser, until_date: 0 }
          : { status: 'member', user: botUser },
      new_chat_member:
        status === 'kicked'
          ? { status: 'kicked', user: botUser, until_date: 0 }
          : { status: 'member', user: botUser },
    },
  } as Update
}
