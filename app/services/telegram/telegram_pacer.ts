import { setTimeout as sleep } from 'node:timers/promises'
import telegramConfig from '#config/telegram'

export type PacerSettings = { maxPerSecond: number; chatIntervalMs: number }

/**
 * Requests are spaced evenly, and counted over a window, 10 % wider than
 * one second: a request's arrival at Telegram varies by tens of
 * milliseconds (event loop, network), and the margin keeps that jitter
 * from squeezing maxPerSecond + 1 requests into Telegram's one second.
 */
const SPACING_MARGIN = 1.1

/** Chats idle for longer than this are forgotten. */
const FORGET_AFTER_MS = 60_000

/**
 * Paces messages within one process: one chat receives the next message
 * only `chatIntervalMs` after its previous one was answered, and all chats
 * together get at most `maxPerSecond` (run() spaces the turns,
 * beforeRequest() checks the real start times). A chat waiting its turn
 * takes no place in the overall queue, so it never holds up other chats.
 */
export class TelegramPacer {
  readonly spacingMs: number
  readonly #chatIntervalMs: number
  readonly #maxPerSecond: number
  readonly #windowMs = 1000 * SPACING_MARGIN
  readonly #recentStarts: number[] = []
  #nextSlotAt = 0
  readonly #chatReadyAt = new Map<number, number>()
  readonly #chatQueues = new Map<number, Promise<unknown>>()

  constructor(settings: PacerSettings = telegramConfig.pacing) {
    this.spacingMs = (1000 * SPACING_MARGIN) / settings.maxPerSecond
    this.#chatIntervalMs = settings.chatIntervalMs
    this.#maxPerSecond = settings.maxPerSecond
  }

  /**
   * Runs `send` in the chat's turn. Sends to one chat run one after the
   * other; sends to different chats overlap. When `signal` aborts before
   * the turn comes, `send` never runs and the returned promise rejects
   * with an AbortError; a send already started always finishes.
   */
  run<T>(chatId: number, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#chatQueues.get(chatId) ?? Promise.resolve()
    const turn = previous.then(() => this.#inTurn(chatId, send, signal))
    const settledTurn = turn.catch(() => {})
    this.#chatQueues.set(chatId, settledTurn)
    void settledTurn.then(() => {
      if (this.#chatQueues.get(chatId) === settledTurn) {
        this.#chatQueues.delete(chatId)
      }
    })
    return turn
  }

  /**
   * Telegram asked to wait (429 retry_after): the chat gets nothing before.
   */
  pauseChat(chatId: number, ms: number) {
    this.#chatReadyAt.set(chatId, Math.max(this.#chatReadyAt.get(chatId) ?? 0, Date.now() + ms))
  }

  async #inTurn<T>(chatId: number, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await waitUntil(this.#chatReadyAt.get(chatId) ?? 0, signal)
    // The overall slot is taken only once the chat may send.
    const slot = Math.max(Date.now(), this.#nextSlotAt)
    this.#nextSlotAt = slot + this.spacingMs
    await waitUntil(slot, signal)
    try {
      return await send()
    } finally {
      this.#forgetIdleChats()
      this.#chatReadyAt.set(
        chatId,
        Math.max(this.#chatReadyAt.get(chatId) ?? 0, Date.now() + this.#chatIntervalMs)
      )
    }
  }

  /**
   * Called by `send` right before its request leaves. Timers fire late
   * when the event loop was busy, and late sends would then go out
   * together: the real start times of the last `maxPerSecond` requests are
   * kept, and a request waits until its window has room. Checking and
   * recording happen in one synchronous step.
   */
  async beforeRequest() {
    for (;;) {
      const now = Date.now()
      const oldest = this.#recentStarts.length >= this.#maxPerSecond ? this.#recentStarts[0] : null
      if (oldest === null || now - oldest >= this.#windowMs) {
        this.#recentStarts.push(now)
        if (this.#recentStarts.length > this.#maxPerSecond) {
          this.#recentStarts.shift()
        }
        return
      }
      await waitUntil(oldest + this.#windowMs)
    }
  }

  #forgetIdleChats() {
    if (this.#chatReadyAt.size < 10_000) {
      return
    }
    const now = Date.now()
    for (const [chatId, readyAt] of this.#chatReadyAt) {
      if (readyAt < now - FORGET_AFTER_MS) {
        this.#chatReadyAt.delete(chatId)
      }
    }
  }
}

/**
 * A timer may fire a millisecond or more before its time by the wall clock
 * (libuv counts from the event loop's cached time, which lags), so the
 * wait goes on until the clock says the time has come.
 */
async function waitUntil(at: number, signal?: AbortSignal) {
  for (;;) {
    signal?.throwIfAborted()
    const delay = at - Date.now()
    if (delay <= 0) {
      return
    }
    await sleep(delay, undefined, { signal })
  }
}
