import type { LucidModel, ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import type User from '#models/user'

/**
 * Limits a query over records with `creator_id` and `brand_id` to the ones
 * the viewer is a party to; admins see all.
 */
export function scopeToParty<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  viewer: User
) {
  if (viewer.role === 'creator') {
    query.where('creator_id', viewer.id)
  }
  if (viewer.role === 'brand') {
    query.where('brand_id', viewer.id)
  }
  return query
}
