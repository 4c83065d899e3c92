/**
 * An amount in kopecks as people read it: "5 000 ₽", "1 234,50 ₽".
 */
export function formatMoney(amount: unknown, currency: unknown = 'RUB') {
  const kopecks = Number(amount)
  if (!Number.isFinite(kopecks)) {
    return '—'
  }
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : 'RUB'
  return new Intl.NumberFormat('ru-RU', {
    style: 'currency',
    currency: code,
    minimumFractionDigits: kopecks % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(kopecks / 100)
}
