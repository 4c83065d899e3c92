import type { LucidModel } from '@adonisjs/lucid/types/model'
import { DomainError } from '#exceptions/domain_error'

/**
 * Loads the record a route names, or answers NOT_FOUND.
 */
export async function findRecord<Model extends LucidModel>(
  model: Model,
  id: number | string
): Promise<InstanceType<Model>> {
  const record = await model.find(id)
  if (!record) {
    throw new DomainError('NOT_FOUND')
  }
  return record as InstanceType<Model>
}
