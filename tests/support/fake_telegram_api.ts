import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { UserFromGetMe } from 'grammy/types'

/**
 * A fake Telegram Bot API for tests: a real HTTP server on loopback that
 * answers `<apiRoot>/bot<token>/<method>` with Bot API envelopes, so real
 * grammY talks to it exactly as it would to Telegram. It records every
 * request, plays scripted failures per chat, and enforces Telegram's rate
 * limits (a 429 with retry_after, counted in `tooManyRequests`).
 */

export type FakeBehaviour =
  | 'ok'
  | 'blocked'
  | 'chat_not_found'
  | { badRequest: string }
  | { retryAfter: number }
  | 'server_error'
  | 'bad_gateway_html'
  | 'hang'
  | 'reset'

export interface FakeRequest {
  method: string
  chatId: number | null
  payload: Record<string, any>
  /** Epoch milliseconds when the request arrived. */
  at: number
  /** HTTP status answered; null while unanswered (hang) or when the socket was reset. */
  status: number | null
}

export interface FakeTelegram {
  apiRoot: string
  token: string
  botInfo: UserFromGetMe
  /** Every request, in arrival order. */
  requests: FakeRequest[]
  /** Successful sendMessage calls, optionally to one chat. */
  sent(chatId?: number): FakeRequest[]
  /** Consumed one per sendMessage to that chat; once used up, the chat gets 'ok'. */
  script(chatId: number, ...behaviours: FakeBehaviour[]): void
  /** Queued for getUpdates; update_id assigned when missing. */
  pushUpdate(update: Record<string, any>): void
  /** Updates queued and not yet confirmed by a getUpdates offset. */
  readonly pendingUpdates: number
  /** What setWebhook registered (null after deleteWebhook). */
  readonly webhook: { url: string; secretToken: string | null } | null
  /** How many 429s the fake produced by its own rate limiting (not scripted ones). */
  tooManyRequests: number
  close(): Promise<void>
}

export interface FakeTelegramOptions {
  token?: string
  botUsername?: string
  /** Messages one chat may receive per second before a 429 (Telegram: 1). */
  perChatPerSecond?: number
  /** Messages the bot may send per second in total before a 429 (Telegram: 30). */
  totalPerSecond?: number
  /** The longest a getUpdates call waits for updates, whatever timeout it asks. */
  longPollMaxMs?: number
}

type Envelope =
  | { ok: true; result: unknown }
  | {
      ok: false
      error_code: number
      description: string
      parameters?: { retry_after?: number }
    }

const MAX_TEXT_LENGTH = 4096
const WINDOW_MS = 1000
const PARSE_MODES = new Set(['HTML', 'MarkdownV2', 'Markdown'])
const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n'

export function fakeBotToken() {
  return `${7_000_000_000 + Math.floor(Math.random() * 1_000_000)}:AA${randomBytes(26).toString('base64url')}`
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? fakeBotToken()
  const perChatPerSecond = options.perChatPerSecond ?? 1
  const totalPerSecond = options.totalPerSecond ?? 30
  const longPollMaxMs = options.longPollMaxMs ?? 1000

  const botInfo: UserFromGetMe = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Collab',
    username: options.botUsername ?? 'collab_test_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  }

  const requests: FakeRequest[] = []
  const scripts = new Map<number, FakeBehaviour[]>()
  const acceptedByChat = new Map<number, number[]>()
  const acceptedTotal: number[] = []
  const updates: Array<Record<string, any>> = []
  const sockets = new Set<Socket>()
  const hanging = new Set<ServerResponse>()
  let nextUpdateId = 100_000
  let nextMessageId = 1
  let webhook: { url: string; secretToken: string | null } | null = null
  let poller: {
    record: FakeRequest
    response: ServerResponse
    cancel: () => void
    wake: () => void
  } | null = null
  let closed = false

  const fake: FakeTelegram = {
    apiRoot: '',
    token,
    botInfo,
    requests,
    tooManyRequests: 0,
    sent(chatId?: number) {
      return requests.filter(
        (request) =>
          request.method === 'sendMessage' &&
          request.status === 200 &&
          (chatId === undefined || request.chatId === chatId)
      )
    },
    script(chatId: number, ...behaviours: FakeBehaviour[]) {
      scripts.set(chatId, [...(scripts.get(chatId) ?? []), ...behaviours])
    },
    pushUpdate(update: Record<string, any>) {
      const updateId = typeof update.update_id === 'number' ? update.update_id : nextUpdateId
      nextUpdateId = Math.max(nextUpdateId, updateId + 1)
      updates.push({ ...update, update_id: updateId })
      poller?.wake()
    },
    get pendingUpdates() {
      return updates.length
    },
    get webhook() {
      return webhook
    },
    async close() {
      closed = true
      poller?.wake()
      for (const response of hanging) {
        response.destroy()
      }
      for (const socket of sockets) {
        socket.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  function reply(record: FakeRequest, response: ServerResponse, status: number, body: Envelope) {
    record.status = status
    if (response.destroyed) {
      return
    }
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  }

  function fail(
    record: FakeRequest,
    response: ServerResponse,
    code: number,
    description: string,
    parameters?: { retry_after: number }
  ) {
    reply(record, response, code, {
      ok: false,
      error_code: code,
      description,
      ...(parameters ? { parameters } : {}),
    })
  }

  /** Drops the timestamps older than the one-second window. */
  function recent(stamps: number[], now: number) {
    while (stamps.length > 0 && stamps[0] <= now - WINDOW_MS) {
      stamps.shift()
    }
    return stamps
  }

  function retryAfterSeconds(stamps: number[], now: number) {
    return Math.max(1, Math.ceil((stamps[0] + WINDOW_MS - now) / 1000))
  }

  function sendMessage(record: FakeRequest, response: ServerResponse) {
    const payload = record.payload
    if (payload.chat_id === undefined || payload.chat_id === '') {
      return fail(record, response, 400, 'Bad Request: chat_id is empty')
    }
    const chatId = record.chatId
    if (chatId === null) {
      return fail(record, response, 400, 'Bad Request: chat not found')
    }

    const behaviour = scripts.get(chatId)?.shift() ?? 'ok'
    if (behaviour !== 'ok') {
      return misbehave(record, response, behaviour)
    }

    if (typeof payload.text !== 'string' || payload.text.length === 0) {
      return fail(record, response, 400, 'Bad Request: message text is empty')
    }
    if (payload.parse_mode !== undefined && !PARSE_MODES.has(payload.parse_mode)) {
      return fail(record, response, 400, `Bad Request: unsupported parse_mode`)
    }
    let visibleText = payload.text
    if (payload.parse_mode === 'HTML') {
      const parsed = parseTelegramHtml(payload.text)
      if ('error' in parsed) {
        return fail(record, response, 400, `Bad Request: can't parse entities: ${parsed.error}`)
      }
      visibleText = parsed.text
    }
    if (visibleText.trim().length === 0) {
      return fail(record, response, 400, 'Bad Request: message text is empty')
    }
    if (visibleText.length > MAX_TEXT_LENGTH) {
      return fail(record, response, 400, 'Bad Request: message is too long')
    }
    const keyboardProblem = checkReplyMarkup(payload.reply_markup)
    if (keyboardProblem) {
      return fail(record, response, 400, `Bad Request: ${keyboardProblem}`)
    }

    const now = Date.now()
    const chatStamps = recent(acceptedByChat.get(chatId) ?? [], now)
    acceptedByChat.set(chatId, chatStamps)
    recent(acceptedTotal, now)
    const limited =
      chatStamps.length >= perChatPerSecond
        ? chatStamps
        : acceptedTotal.length >= totalPerSecond
          ? acceptedTotal
          : null
    if (limited) {
      fake.tooManyRequests += 1
      const retryAfter = retryAfterSeconds(limited, now)
      return fail(record, response, 429, `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      })
    }
    chatStamps.push(now)
    acceptedTotal.push(now)

    reply(record, response, 200, {
      ok: true,
      result: {
        message_id: nextMessageId++,
        date: Math.floor(now / 1000),
        chat: { id: chatId, type: 'private' },
        from: {
          id: botInfo.id,
          is_bot: true,
          first_name: botInfo.first_name,
          username: botInfo.username,
        },
        text: visibleText,
        ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
      },
    })
  }

  function misbehave(
    record: FakeRequest,
    response: ServerResponse,
    behaviour: Exclude<FakeBehaviour, 'ok'>
  ) {
    if (behaviour === 'blocked') {
      return fail(record, response, 403, 'Forbidden: bot was blocked by the user')
    }
    if (behaviour === 'chat_not_found') {
      return fail(record, response, 400, 'Bad Request: chat not found')
    }
    if (behaviour === 'server_error') {
      return fail(record, response, 500, 'Internal Server Error')
    }
    if (behaviour === 'bad_gateway_html') {
      record.status = 502
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end(BAD_GATEWAY_HTML)
      return
    }
    if (behaviour === 'hang') {
      hanging.add(response)
      response.on('close', () => hanging.delete(response))
      return
    }
    if (behaviour === 'reset') {
      response.socket?.destroy()
      return
    }
    if ('retryAfter' in behaviour) {
      return fail(record, response, 429, `Too Many Requests: retry after ${behaviour.retryAfter}`, {
        retry_after: behaviour.retryAfter,
      })
    }
    const description = behaviour.badRequest.startsWith('Bad Request')
      ? behaviour.badRequest
      : `Bad Request: ${behaviour.badRequest}`
    return fail(record, response, 400, description)
  }

  function getUpdates(record: FakeRequest, response: ServerResponse) {
    if (webhook) {
      return fail(
        record,
        response,
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
      )
    }
    if (poller) {
      // Telegram answers the older of two concurrent long polls with a 409.
      const previous = poller
      previous.cancel()
      fail(
        previous.record,
        previous.response,
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'
      )
    }
    const offset = Number(record.payload.offset ?? 0)
    const limit = Math.min(100, Math.max(1, Number(record.payload.limit ?? 100)))
    const waitMs = Math.min(longPollMaxMs, Math.max(0, Number(record.payload.timeout ?? 0)) * 1000)
    if (offset > 0) {
      // An offset confirms every update before it: Telegram forgets them.
      while (updates.length > 0 && updates[0].update_id < offset) {
        updates.shift()
      }
    }
    const answer = () => {
      reply(record, response, 200, {
        ok: true,
        result: updates.filter((update) => update.update_id >= offset).slice(0, limit),
      })
    }
    if (updates.length > 0 || waitMs === 0 || closed) {
      return answer()
    }
    const entry = {
      record,
      response,
      timer: setTimeout(() => entry.wake(), waitMs),
      cancel: () => {
        clearTimeout(entry.timer)
        if (poller === entry) {
          poller = null
        }
      },
      wake: () => {
        entry.cancel()
        if (record.status === null && !response.destroyed) {
          answer()
        }
      },
    }
    poller = entry
    response.on('close', entry.cancel)
  }

  function handle(method: string, record: FakeRequest, response: ServerResponse) {
    switch (method) {
      case 'getMe':
        return reply(record, response, 200, { ok: true, result: botInfo })
      case 'sendMessage':
        return sendMessage(record, response)
      case 'getUpdates':
        return getUpdates(record, response)
      case 'setWebhook': {
        const url = String(record.payload.url ?? '')
        if (url === '') {
          webhook = null
          return reply(record, response, 200, {
            ok: true,
            result: true,
          })
        }
        if (!url.startsWith('https://')) {
          return fail(
            record,
            response,
            400,
            'Bad Request: bad webhook: HTTPS url must be provided for webhook'
          )
        }
        webhook = { url, secretToken: record.payload.secret_token ?? null }
        return reply(record, response, 200, { ok: true, result: true })
      }
      case 'deleteWebhook':
        webhook = null
        if (
          record.payload.drop_pending_updates === true ||
          record.payload.drop_pending_updates === 'true'
        ) {
          updates.length = 0
        }
        return reply(record, response, 200, { ok: true, result: true })
      case 'getWebhookInfo':
        return reply(record, response, 200, {
          ok: true,
          result: {
            url: webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: updates.length,
          },
        })
      case 'leaveChat':
        return reply(record, response, 200, { ok: true, result: true })
      case 'answerCallbackQuery':
        if (!record.payload.callback_query_id) {
          return fail(
            record,
            response,
            400,
            'Bad Request: query is too old and response timeout expired or query ID is invalid'
          )
        }
        return reply(record, response, 200, { ok: true, result: true })
      default:
        return fail(record, response, 404, 'Not Found')
    }
  }

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const arrivedAt = Date.now()
    const url = new URL(request.url ?? '/', 'http://fake.telegram')
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname)
    const payload = await readPayload(request, url)
    const chatId = payload.chat_id === undefined ? null : toChatId(payload.chat_id)
    const record: FakeRequest = {
      method: match?.[2] ?? url.pathname,
      chatId,
      payload,
      at: arrivedAt,
      status: null,
    }
    requests.push(record)
    if (!match) {
      return fail(record, response, 404, 'Not Found')
    }
    if (match[1] !== token) {
      return fail(record, response, 401, 'Unauthorized')
    }
    handle(match[2], record, response)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  fake.apiRoot = `http://127.0.0.1:${port}`
  return fake
}

function toChatId(value: unknown): number | null {
  const chatId = typeof value === 'number' ? value : Number(value)
  return Number.isSafeInteger(chatId) && chatId !== 0 ? chatId : null
}

async function readPayload(request: IncomingMessage, url: URL): Promise<Record<string, any>> {
  const payload: Record<string, any> = Object.fromEntries(url.searchParams)
  const chunks: Buffer[] = []
  for await (const chunk of request) {
    chunks.push(chunk as Buffer)
  }
  const body = Buffer.concat(chunks).toString('utf8')
  if (body === '') {
    return payload
  }
  const contentType = request.headers['content-type'] ?? ''
  if (contentType.includes('application/json')) {
    try {
      return { ...payload, ...JSON.parse(body) }
    } catch {
      return payload
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form: Record<string, any> = Object.fromEntries(new URLSearchParams(body))
    if (typeof form.reply_markup === 'string') {
      try {
        form.reply_markup = JSON.parse(form.reply_markup)
      } catch {}
    }
    return { ...payload, ...form }
  }
  return payload
}

/**
 * Checks an inline keyboard the way Telegram does for the fields we use:
 * every button has text and one action; a URL must be http(s) or tg.
 * Unlike Telegram, a host without a dot (localhost) is accepted, because
 * the test environment's APP_URL is one.
 */
function checkReplyMarkup(markup: unknown): string | null {
  if (markup === undefined) {
    return null
  }
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard
  if (!Array.isArray(rows)) {
    return 'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array'
  }
  for (const row of rows) {
    if (!Array.isArray(row)) {
      return 'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
    }
    for (const button of row as Array<Record<string, unknown>>) {
      if (typeof button.text !== 'string' || button.text === '') {
        return 'text buttons are unallowed in the inline keyboard'
      }
      if (button.url !== undefined) {
        let parsed: URL | null = null
        try {
          parsed = new URL(String(button.url))
        } catch {}
        if (!parsed || !['http:', 'https:', 'tg:'].includes(parsed.protocol)) {
          return `inline keyboard button URL '${button.url}' is invalid: Wrong HTTP URL`
        }
      } else if (button.callback_data === undefined) {
        return "can't parse inline keyboard button: InlineKeyboardButton must have exactly one of the optional fields"
      }
    }
  }
  return null
}

const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
])
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' }

/**
 * Telegram's HTML parse mode, strictly enough to catch unescaped text: only
 * its tags, properly nested, and only &lt; &gt; &amp; &quot; and numeric
 * entities. Returns the visible text, or the error Telegram would give.
 */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const open: string[] = []
  let text = ''
  let index = 0
  while (index < html.length) {
    const char = html[index]
    if (char === '<') {
      const end = html.indexOf('>', index)
      if (end === -1) {
        return { error: `Unclosed start tag at byte offset ${index}` }
      }
      const tag = html.slice(index + 1, end)
      const closing = tag.startsWith('/')
      const name = (closing ? tag.slice(1) : tag).trim().split(/\s/)[0].toLowerCase()
      if (!HTML_TAGS.has(name)) {
        return {
          error: `Unsupported ${closing ? 'end' : 'start'} tag "${name}" at byte offset ${index}`,
        }
      }
      if (closing) {
        if (open.pop() !== name) {
          return {
            error: `Unmatched end tag at byte offset ${index}, expected "</${open.at(-1) ?? ''}>"`,
          }
        }
      } else {
        open.push(name)
      }
      index = end + 1
      continue
    }
    if (char === '&') {
      const entity = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(html.slice(index))
      if (entity) {
        const name = entity[1]
        if (name.startsWith('#')) {
          const code =
            name[1] === 'x' || name[1] === 'X'
              ? Number.parseInt(name.slice(2), 16)
              : Number(name.slice(1))
          text += String.fromCodePoint(code)
        } else if (NAMED_ENTITIES[name] !== undefined) {
          text += NAMED_ENTITIES[name]
        } else {
          return { error: `Unsupported HTML entity "&${name};" at byte offset ${index}` }
        }
        index += entity[0].length
        continue
      }
    }
    text += char
    index += 1
  }
  if (open.length > 0) {
    return { error: `Can't find end tag corresponding to start tag "${open.at(-1)}"` }
  }
  return { text }
}
