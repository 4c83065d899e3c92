/*
|--------------------------------------------------------------------------
| View helpers
|--------------------------------------------------------------------------
|
| Formatting shared by every page: money, dates and status badges. Pages
| show values through these, never raw.
|
*/
import edge, { edgeGlobals } from 'edge.js'
import type { I18n } from '@adonisjs/i18n'
import { statusBadge, type StatusKind } from '#http/status_labels'
import { formatMoney } from '#services/format_money'

const dateFormat = new Intl.DateTimeFormat('ru-RU', {
  dateStyle: 'medium',
  timeZone: 'Europe/Moscow',
})
const dateTimeFormat = new Intl.DateTimeFormat('ru-RU', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Moscow',
})

function formatWith(format: Intl.DateTimeFormat, value: unknown) {
  if (value === null || value === undefined || value === '') {
    return '—'
  }
  const date = new Date(String(value))
  return Number.isNaN(date.getTime()) ? '—' : format.format(date)
}

/**
 * Kopecks as a form field shows them: "1500" or "1500,50".
 */
function rublesInput(kopecks: number) {
  const whole = Math.trunc(kopecks / 100)
  const fraction = kopecks % 100
  return fraction === 0 ? String(whole) : `${whole},${String(fraction).padStart(2, '0')}`
}

/**
 * A status as its badge, usable inline: `{{ statusTag(i18n, 'deal', deal.status) }}`.
 */
function statusTag(i18n: I18n, kind: StatusKind, status: string) {
  const { label, tone } = statusBadge(i18n, kind, status)
  const { escape, safe } = edgeGlobals.html
  return safe(`<span class="badge badge--${tone}">${escape(label)}</span>`)
}

edge.global('money', formatMoney)
edge.global('statusTag', statusTag)
edge.global('rublesInput', rublesInput)
edge.global('statusBadge', statusBadge)
edge.global('formatDate', (value: unknown) => formatWith(dateFormat, value))
edge.global('formatDateTime', (value: unknown) => formatWith(dateTimeFormat, value))
