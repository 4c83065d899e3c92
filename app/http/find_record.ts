import type { LucidModel } from '@adonisjs/lucid/types/model'
import { DomainError } from '#exceptions/domain_error'

/**
 * The largest id an `increments` column holds; larger ids name nothing and
 * must not reach PostgreSQL, which would refuse the query itself.
 */
export const MAX_INT_ID = 2_147_483_647

/**
 * Loads the record a route names, or answers NOT_FOUND.
 */
export async function findRecord<Model extends LucidModel>(
  model: Model,
  id: number | string,
  maxId = MAX_INT_ID
): Promise<InstanceType<Model>> {
  const numericId = Number(id)
  if (!Number.isSafeInteger(numericId) || numericId < 1 || numericId > maxId) {
    throw new DomainError('NOT_FOUND')
  }
  const record = await model.find(numericId)
  if (!record) {
    throw new DomainError('NOT_FOUND')
  }
  return record as InstanceType<Model>
}
