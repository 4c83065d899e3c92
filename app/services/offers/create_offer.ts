import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { searchTextOf } from '#services/offers/search_text'

export type NewOffer = {
  title: string
  brief: string
  budget: number
  currency?: 'RUB'
  deadline?: Date
}

/**
 * A brand's new listing starts as a draft, invisible to creators.
 */
export async function createOffer(action: ActionContext, input: NewOffer) {
  return db.transaction(async (trx) => {
    return Offer.create(
      {
        brandId: action.actor.id,
        title: input.title,
        brief: input.brief,
        searchText: searchTextOf(input.title, input.brief),
        budget: input.budget,
        currency: input.currency ?? 'RUB',
        deadline: input.deadline ? DateTime.fromJSDate(input.deadline) : null,
        status: 'draft',
      },
      { client: trx }
    )
  })
}
