import { errorReason } from '#exceptions/error_reasons'
import vine from '@vinejs/vine'
import { DomainError } from '#exceptions/domain_error'
import { OFFER_STATUSES } from '#models/offer'
import { listFields } from '#validators/pagination'

/**
 * Budgets are integer kopecks: strictly a JSON number, no fractions, above
 * zero, and below a sanity cap (one billion roubles).
 */
export const MAX_BUDGET = 100_000_000_000

const budget = () => vine.number({ strict: true }).withoutDecimals().min(1).max(MAX_BUDGET)
const title = () => vine.string().trim().minLength(3).maxLength(120)
const brief = () => vine.string().trim().minLength(1).maxLength(5000)
const deadline = () => vine.date({ formats: ['YYYY-MM-DD'] }).afterOrEqual('today')

export const createOfferValidator = vine.create({
  title: title(),
  brief: brief(),
  budget: budget(),
  currency: vine.enum(['RUB'] as const).optional(),
  deadline: deadline().optional(),
})

export const updateOfferValidator = vine.create({
  title: title().optional(),
  brief: brief().optional(),
  budget: budget().optional(),
  deadline: deadline().nullable().optional(),
})

/**
 * VineJS treats an optional field sent as null like one not sent at all;
 * on PATCH that would silently ignore `{"budget": null}` or an emptied
 * brief. Fields that cannot be cleared must not be null.
 */
export function refuseClearing(body: Record<string, unknown>, fields: string[]) {
  const cleared = fields.filter((field) => field in body && body[field] === null)
  if (cleared.length > 0) {
    throw new DomainError('VALIDATION_ERROR', {
      fields: cleared.map((field) => ({
        field,
        rule: 'required',
        message: errorReason('field_required'),
      })),
    })
  }
}

/** The longest text search, in characters; the feed's search box says so too. */
export const MAX_SEARCH_LENGTH = 100

export const listOffersValidator = vine.create({
  ...listFields,
  status: vine.enum(OFFER_STATUSES).optional(),
  q: vine.string().trim().minLength(1).maxLength(MAX_SEARCH_LENGTH).optional(),
})
