import { Composer, type Bot, type Context } from 'grammy'
import limiter from '@adonisjs/limiter/services/main'
import { requestLogger } from '#services/request_logger'
import {
  activateBinding,
  revokeExposedCode,
  type ActivationOutcome,
} from '#services/telegram/activate_binding'
import {
  chatIsBound,
  deactivateChatBinding,
  reactivateChatBinding,
  stopChatBinding,
} from '#services/telegram/change_chat_binding'
import { createTelegramBot, type TelegramBotSettings } from '#services/telegram/telegram_bot'
import { escapeHtml } from '#services/telegram/telegram_message'

/**
 * What the bot says, in Russian. Only the user's display name is inserted,
 * HTML-escaped; everything is sent with parse_mode HTML.
 */
const REPLIES = {
  help:
    'Это бот уведомлений Collab.\n\n' +
    'Чтобы получать сюда уведомления о приглашениях, сделках и выплатах, откройте в Collab ' +
    'раздел «Telegram» и нажмите «Подключить»: бот получит код по ссылке сам.\n\n' +
    '/stop — отключить уведомления.',
  helpBound:
    'Этот чат подключён к Collab: уведомления приходят сюда.\n\n/stop — отключить уведомления.',
  activated: (name: string) =>
    `Готово, <b>${escapeHtml(name)}</b>! Аккаунт Collab подключён: уведомления будут ` +
    'приходить в этот чат.\n\n/stop — отключить уведомления.',
  alreadyBound: 'Этот чат уже подключён к Collab.',
  unknown:
    'Код не подошёл: он неверный или уже использован. Получите новый код в Collab, ' +
    'в разделе «Telegram».',
  used: 'Этот код уже использован. Чтобы подключить Telegram заново, получите новый код в Collab.',
  expired:
    'Срок действия кода истёк. Получите новый код в Collab, в разделе «Telegram»: ' +
    'он действует 15 минут.',
  accountBlocked:
    'Аккаунт Collab заблокирован администратором, поэтому Telegram к нему не подключить. ' +
    'Вопросы — в поддержку Collab.',
  rateLimited: (minutes: number) =>
    `Слишком много неверных попыток. Попробуйте снова через ${minutes} мин.`,
  stopped: 'Уведомления Collab отключены. Чтобы подключить их снова, получите новый код в Collab.',
  notBound: 'Этот чат не подключён к Collab, отключать нечего.',
  reactivated: 'С возвращением! Уведомления Collab снова будут приходить в этот чат.',
  privateOnly:
    'Collab подключается только в личном чате с ботом: откройте ссылку из раздела «Telegram» ' +
    'в Collab.',
  codeRevokedInGroup:
    'Этот код отменён: его видели все в этом чате. Получите новый код в Collab и откройте ' +
    'ссылку в личном чате с ботом.',
}

/** How to bind, or that this chat is bound. */
async function helpFor(chatId: number) {
  return (await chatIsBound(chatId)) ? REPLIES.helpBound : REPLIES.help
}

const HELP_REPLIES_PER_MINUTE = 3

/** Whether a chat's free text may get the help now: a few a minute at most. */
async function mayAnswerWithHelp(chatId: number) {
  const replies = limiter.use('memory', { requests: HELP_REPLIES_PER_MINUTE, duration: '1 minute' })
  return (await replies.attempt(`tg_help_${chatId}`, () => true)) === true
}

function reply(ctx: Context, html: string) {
  return ctx.reply(html, { parse_mode: 'HTML' })
}

function startReply(result: ActivationOutcome) {
  switch (result.outcome) {
    case 'activated':
      return REPLIES.activated(result.displayName)
    case 'already_bound':
      return REPLIES.alreadyBound
    case 'used':
      return REPLIES.used
    case 'expired':
      return REPLIES.expired
    case 'account_blocked':
      return REPLIES.accountBlocked
    case 'rate_limited':
      return REPLIES.rateLimited(Math.max(1, Math.ceil(result.retryAfterSeconds / 60)))
    case 'unknown':
      return REPLIES.unknown
  }
}

/**
 * The bot's side of account binding: `/start [code]`, `/stop`, `/help` and
 * the help for any other text or file in a private chat; `/start` in a
 * group (its code is revoked); and `my_chat_member` (the user blocks or
 * unblocks the bot; added to a group, it leaves). Log lines name the
 * outcome and the binding id, never the chat, the code or the token.
 */
export function installCollabHandlers(bot: Bot): void {
  bot.use(collabHandlers())
}

/**
 * The configured bot with the binding handlers: what takes in updates, by
 * webhook or by long polling.
 */
export function createCollabBot(settings?: TelegramBotSettings | null) {
  const bot = createTelegramBot(settings)
  installCollabHandlers(bot)
  return bot
}

function collabHandlers() {
  const composer = new Composer<Context>()
  const privateChat = composer.chatType('private')

  privateChat.command('start', async (ctx) => {
    const code = ctx.match.trim()
    if (code === '') {
      await reply(ctx, await helpFor(ctx.chat.id))
      return
    }
    const result = await activateBinding({
      code,
      chatId: ctx.chat.id,
      telegramUserId: ctx.from?.id ?? ctx.chat.id,
    })
    requestLogger().info(
      { outcome: result.outcome, bindingId: 'bindingId' in result ? result.bindingId : undefined },
      'telegram /start'
    )
    await reply(ctx, startReply(result))
  })

  privateChat.command('stop', async (ctx) => {
    const stopped = await stopChatBinding(ctx.chat.id)
    requestLogger().info({ outcome: stopped ? 'revoked' : 'not_bound' }, 'telegram /stop')
    await reply(ctx, stopped ? REPLIES.stopped : REPLIES.notBound)
  })

  privateChat.command('help', async (ctx) => {
    await reply(ctx, await helpFor(ctx.chat.id))
  })

  // Anything else a person sends in a private chat (plain text, a code
  // pasted without /start, a sticker) gets the help rather than silence;
  // service messages (a pin, a timer) get nothing. A few a minute at most,
  // so one chat's flood does not hold up the updates queued behind it.
  privateChat.on(['message:text', 'message:file'], async (ctx) => {
    if (await mayAnswerWithHelp(ctx.chat.id)) {
      await reply(ctx, await helpFor(ctx.chat.id))
    }
  })

  // Notifications go to private chats only. A code posted in a group is
  // revoked; nothing about the account is said there.
  composer.chatType(['group', 'supergroup']).command('start', async (ctx) => {
    const revoked = await revokeExposedCode(ctx.match.trim())
    requestLogger().info({ outcome: revoked ? 'revoked' : 'refused' }, 'telegram /start in a group')
    await reply(ctx, revoked ? REPLIES.codeRevokedInGroup : REPLIES.privateOnly)
  })

  composer.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status
    if (ctx.chat.type !== 'private') {
      if (status !== 'left' && status !== 'kicked') {
        requestLogger().info({ chatType: ctx.chat.type }, 'telegram bot added to a group: leaving')
        await ctx.leaveChat()
      }
      return
    }
    if (status === 'kicked') {
      const deactivated = await deactivateChatBinding(ctx.chat.id)
      requestLogger().info(
        { outcome: deactivated ? 'inactive' : 'not_bound' },
        'telegram bot blocked'
      )
    } else if (status === 'member') {
      const reactivated = await reactivateChatBinding(ctx.chat.id)
      requestLogger().info(
        { outcome: reactivated ? 'active' : 'not_bound' },
        'telegram bot unblocked'
      )
      if (reactivated && (await chatIsBound(ctx.chat.id))) {
        await reply(ctx, REPLIES.reactivated)
      }
    }
  })

  return composer
}
