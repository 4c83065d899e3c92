import { appUrl } from '#config/app'
import type { NOTIFICATION_MAP } from '#services/notifications/notification_map'
import { formatMoney } from '#services/format_money'
import { notificationPath } from '#services/notifications/notification_link'

/**
 * Telegram refuses a message longer than this.
 */
export const TELEGRAM_TEXT_LIMIT = 4096

/** Every notification type the map sends to Telegram; a template is required for each. */
type MappedRule = (typeof NOTIFICATION_MAP)[keyof typeof NOTIFICATION_MAP][number]
export type TelegramNotificationType = Extract<MappedRule, { telegram: true }>['notification']

export type TelegramMessage = {
  /** HTML parse mode: every interpolated value is escaped. */
  text: string
  button: { text: string; url: string }
}

type Payload = Record<string, unknown>

/**
 * Longest escaped length of one interpolated value. A title or name gets
 * TITLE_BUDGET, free text (a change request's reason) FREE_TEXT_BUDGET;
 * with the fixed wording (well under 500 characters) a message stays below
 * TELEGRAM_TEXT_LIMIT whatever the payload holds.
 */
const TITLE_BUDGET = 300
const FREE_TEXT_BUDGET = 3000

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
}

/**
 * Escapes a value for Telegram's HTML parse mode, cut (on a whole
 * character, never inside an entity) so that the escaped form fits the
 * budget. Missing or blank values read as a dash, so no line is empty.
 */
export function escapeHtml(value: unknown, budget = TITLE_BUDGET): string {
  const text = value === null || value === undefined ? '' : String(value).trim()
  if (text === '') {
    return '—'
  }
  let escaped = ''
  for (const char of text) {
    const piece = HTML_ESCAPES[char] ?? char
    if (escaped.length + piece.length > budget - 1) {
      return `${escaped}…`
    }
    escaped += piece
  }
  return escaped
}

/**
 * The notification's page (the same as in the app), or the notification
 * list when its payload names no record.
 */
function pageUrl(type: TelegramNotificationType, payload: Payload) {
  const origin = appUrl.replace(/\/+$/, '')
  return `${origin}${notificationPath(type, payload) ?? '/notifications'}`
}

const title = (payload: Payload) => `«${escapeHtml(payload.offerTitle)}»`
const money = (payload: Payload, field = 'amount') =>
  escapeHtml(formatMoney(payload[field], payload.currency))

/** A message's words: its text and its button's label. */
type Wording = { text: string; button: string }

function dealMessage(heading: string, body: string): Wording {
  return { text: `<b>${heading}</b>\n${body}`, button: 'Открыть сделку' }
}

const TEMPLATES: Record<TelegramNotificationType, (payload: Payload) => Wording> = {
  application_received: (payload) => ({
    text: `<b>Новый отклик</b>\nАвтор откликнулся на ваше предложение ${title(payload)}.`,
    button: 'Посмотреть отклики',
  }),
  application_approved: (payload) => ({
    text: `<b>Отклик одобрен</b>\nБренд одобрил ваш отклик на ${title(payload)}. Сделка открыта — ждём оплату от бренда.`,
    button: 'Открыть сделку',
  }),
  invite_received: (payload) => ({
    text: `<b>Новое приглашение</b>\nБренд приглашает вас в предложение ${title(payload)}. Примите или отклоните приглашение, пока оно не истекло.`,
    button: 'Ответить на приглашение',
  }),
  invite_accepted: (payload) => ({
    text: `<b>Приглашение принято</b>\nАвтор принял приглашение в ${title(payload)}. Сделка открыта — её можно оплатить.`,
    button: 'Открыть сделку',
  }),
  deal_funded: (payload) =>
    dealMessage(
      'Сделка оплачена',
      `Бренд внёс ${money(payload)} по сделке ${title(payload)}. Можно приступать к работе.`
    ),
  work_submitted: (payload) =>
    dealMessage(
      'Работа сдана',
      `Автор сдал работу по сделке ${title(payload)} (версия ${escapeHtml(payload.revision)}). Примите её или попросите правки.`
    ),
  changes_requested: (payload) =>
    dealMessage(
      'Нужны правки',
      `Бренд просит доработать работу по сделке ${title(payload)}:\n${escapeHtml(payload.reason, FREE_TEXT_BUDGET)}`
    ),
  payment_released: (payload) =>
    dealMessage(
      'Оплата получена',
      `Сделка ${title(payload)} завершена: ${money(payload, 'creatorShare')} зачислено на ваш баланс.`
    ),
  deal_cancelled: (payload) => dealMessage('Сделка отменена', `Сделка ${title(payload)} отменена.`),
  deal_refunded: (payload) =>
    dealMessage(
      'Возврат по сделке',
      `Сделка ${title(payload)} отменена, ${money(payload)} возвращено бренду.`
    ),
  payout_rejected: (payload) => ({
    text: `<b>Выплата отклонена</b>\nЗаявка на выплату ${money(payload)} отклонена, деньги остаются на вашем балансе.`,
    button: 'Открыть баланс',
  }),
  payout_paid: (payload) => ({
    text: `<b>Выплата отправлена</b>\n${money(payload)} переведено на ваши реквизиты.`,
    button: 'Открыть баланс',
  }),
}

export function hasTelegramTemplate(type: string): type is TelegramNotificationType {
  return Object.hasOwn(TEMPLATES, type)
}

/**
 * The Telegram message for a notification, or null for a type that is not
 * sent to Telegram.
 */
export function renderTelegramMessage(type: string, payload: Payload): TelegramMessage | null {
  if (!hasTelegramTemplate(type)) {
    return null
  }
  const { text, button } = TEMPLATES[type](payload)
  return { text, button: { text: button, url: pageUrl(type, payload) } }
}
