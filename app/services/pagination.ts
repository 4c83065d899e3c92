import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import { pageOf } from '#http/api_response'

export type PageRequest = { page?: number; perPage?: number }

export const DEFAULT_PER_PAGE = 20
export const MAX_PER_PAGE = 100

/**
 * Newest first, with the id as the tie-breaker so pages never overlap or
 * skip rows.
 */
export async function paginate<Model extends LucidModel, Item>(
  query: ModelQueryBuilderContract<Model>,
  request: PageRequest,
  present: (row: InstanceType<Model>) => Item
) {
  const page = request.page ?? 1
  const perPage = request.perPage ?? DEFAULT_PER_PAGE
  const [countRow] = await query.clone().clearOrder().count('* as total')
  const rows = await query
    .orderBy('id', 'desc')
    .offset((page - 1) * perPage)
    .limit(perPage)
  return pageOf(rows.map(present), page, perPage, Number(countRow.$extras.total))
}
