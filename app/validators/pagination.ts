import vine from '@vinejs/vine'
import { MAX_PER_PAGE } from '#services/pagination'

/**
 * Query-string fields every list accepts. Query values arrive as strings,
 * so numbers are not strict here.
 */
export const pageFields = {
  page: vine.number().withoutDecimals().min(1).max(1_000_000).optional(),
  perPage: vine.number().withoutDecimals().min(1).max(MAX_PER_PAGE).optional(),
}
