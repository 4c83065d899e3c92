import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { MAX_PER_PAGE } from '#services/pagination'

/**
 * Query-string fields every paged list accepts, on the web and in the API.
 * Query values arrive as strings, so numbers are not strict here.
 */
export const pageFields = {
  page: pageNumberField(),
  perPage: vine.number().withoutDecimals().min(1).max(MAX_PER_PAGE).optional(),
}

/**
 * A page number, from 1; the name is the list's (`page`, or `payoutsPage`
 * where a web page holds two lists).
 */
export function pageNumberField() {
  return vine.number().withoutDecimals().min(1).max(1_000_000).optional()
}

/**
 * A cursor says where a page starts, so it cannot come with a page number.
 */
const withoutPage = vine.createRule(
  (_value: unknown, _options: undefined, field: FieldContext) => {
    if (field.parent?.page !== undefined) {
      field.report('Укажите либо page, либо after', 'withoutPage', field)
    }
  },
  { name: 'withoutPage' }
)

/**
 * The API's lists also take `after`, the id of the last item already seen:
 * the page then holds the items older than it (docs/API.md, Lists).
 */
export const listFields = {
  ...pageFields,
  after: cursorField(2_147_483_647),
}

/**
 * The same for the lists whose ids are 64-bit (notifications, outbox events,
 * ledger entries): a cursor past 2^31 − 1 is one they may hand out.
 */
export const bigIdListFields = {
  ...pageFields,
  after: cursorField(Number.MAX_SAFE_INTEGER),
}

function cursorField(maxId: number) {
  return vine.number().withoutDecimals().min(1).max(maxId).use(withoutPage()).optional()
}
