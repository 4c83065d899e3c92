import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import type User from '#models/user'
import type Offer from '#models/offer'
import Deal from '#models/deal'
import Notification from '#models/notification'
import { closeOffer } from '#services/offers/close_offer'
import { submitWork } from '#services/deals/submit_work'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { truncateAll } from '#tests/support/database'
import { resetRateLimits } from '#tests/support/auth'
import {
  as,
  dealIn,
  draftOffer,
  party,
  pendingApplication,
  pendingInvite,
  publishedOffer,
  userOf,
  type Party,
} from '#tests/support/marketplace'

/**
 * Who calls, relative to the record a route names:
 *
 * - `owner brand`: the brand that owns it (for `POST /api/offers`, the brand creating one);
 * - `stranger brand`: another brand, with no link to it;
 * - `linked creator`: the creator it concerns (applicant, invitee, the deal's creator,
 *   the recipient of a notification);
 * - `creator`: a creator with no link, on a record creators may see (a published offer);
 * - `stranger creator`: a creator with no link, on a record they may not see;
 * - `admin`.
 */
type Actor =
  'owner brand' | 'stranger brand' | 'creator' | 'linked creator' | 'stranger creator' | 'admin'

/**
 * The record's state when it matters: offer status (and how the linked
 * creator is linked), deal status, or whom a notification is addressed to.
 */
type State =
  | 'draft'
  | 'published'
  | 'closed'
  | 'closed after invite'
  | 'awaiting_funding'
  | 'funded'
  | 'submitted'
  | 'paid in and submitted'
  | 'to brand'
  | 'to creator'

type Expect = 200 | 201 | 403 | 404

type Row = { route: string; actor: Actor; expect: Expect; state?: State }

const ROLE_OF: Record<Actor, User['role']> = {
  'owner brand': 'brand',
  'stranger brand': 'brand',
  'creator': 'creator',
  'linked creator': 'creator',
  'stranger creator': 'creator',
  'admin': 'admin',
}

const CODE_OF: Record<Expect, string | null> = {
  200: null,
  201: null,
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
}

/**
 * The people of one row, each made (with a Bearer token) the first time a
 * fixture or the request needs them.
 */
class Cast {
  #parties = new Map<Actor, Promise<Party>>()

  party(actor: Actor): Promise<Party> {
    if (!this.#parties.has(actor)) {
      this.#parties.set(actor, party(ROLE_OF[actor]))
    }
    return this.#parties.get(actor)!
  }

  async user(actor: Actor) {
    const { user } = await this.party(actor)
    return user
  }
}

type Caller = { actor: Actor; me: User }

/**
 * What a row sends, and what a success must show.
 */
type Scene = {
  path: string
  body?: Record<string, unknown>
  success?: (data: any, caller: Caller, assert: Assert) => void | Promise<void>
}

type Stage = (cast: Cast, state: State | undefined, client: ApiClient) => Promise<Scene>

function idsOf(items: Array<{ id: number | string }>) {
  return items.map((item) => Number(item.id))
}

/**
 * A list answers 200 to everyone; what differs is which rows it shows.
 */
function expectItems(expected: Partial<Record<Actor, number[]>>) {
  return (data: any, { actor }: Caller, assert: Assert) => {
    assert.sameMembers(idsOf(data.items), expected[actor] ?? [], `${actor} sees`)
    assert.equal(data.total, (expected[actor] ?? []).length)
  }
}

/**
 * An offer of the owner brand. Once published, the linked creator applies
 * to it (or, for `closed after invite`, is invited), so they may still see
 * it after it is closed.
 */
async function offerIn(cast: Cast, state: State = 'draft'): Promise<Offer> {
  const brand = await cast.user('owner brand')
  if (state === 'draft') {
    return draftOffer(brand)
  }
  const offer = await publishedOffer(brand)
  const linked = await cast.user('linked creator')
  if (state === 'closed after invite') {
    await pendingInvite(offer, linked)
  } else {
    await pendingApplication(offer, linked)
  }
  return state === 'published' ? offer : closeOffer(as(brand), offer)
}

async function applicationOf(cast: Cast) {
  const offer = await publishedOffer(await cast.user('owner brand'))
  return pendingApplication(offer, await cast.user('linked creator'))
}

async function inviteOf(cast: Cast) {
  const offer = await publishedOffer(await cast.user('owner brand'))
  return pendingInvite(offer, await cast.user('linked creator'))
}

/**
 * A deal between the owner brand and the linked creator. `funded` and
 * `submitted` are set directly (no money moved); `paid in and submitted`
 * is funded through the API, so its escrow holds the amount.
 */
async function dealOf(cast: Cast, state: State = 'awaiting_funding', client?: ApiClient) {
  const brand = await cast.user('owner brand')
  const creator = await cast.user('linked creator')
  if (state === 'paid in and submitted') {
    const deal = await dealIn('awaiting_funding', brand, creator)
    const { token } = await cast.party('owner brand')
    const funded = await client!.post(`/api/deals/${deal.id}/fund`).bearerToken(token)
    if (funded.status() !== 200) {
      throw new Error(`funding the fixture deal failed: ${JSON.stringify(funded.body())}`)
    }
    const submitted = await submitWork(as(creator), await Deal.findOrFail(deal.id), {
      url: 'https://video.example/1',
    })
    return submitted.deal
  }
  if (state === 'submitted') {
    const deal = await dealIn('funded', brand, creator)
    const submitted = await submitWork(as(creator), deal, { url: 'https://video.example/1' })
    return submitted.deal
  }
  return dealIn(state as 'awaiting_funding' | 'funded', brand, creator)
}

/**
 * The owner brand got `application_received` from the linked creator, the
 * linked creator got `invite_received` from the owner brand, and a pair
 * outside the row has one of its own.
 */
async function notificationsOf(cast: Cast) {
  const brand = await cast.user('owner brand')
  const creator = await cast.user('linked creator')
  const offer = await publishedOffer(brand)
  await pendingApplication(offer, creator)
  await pendingInvite(offer, creator)
  const outsider = await userOf('brand')
  await pendingApplication(await publishedOffer(outsider), await userOf('creator'))
  await consumeOutboxBatch()
  const only = async (user: User) => {
    const rows = await Notification.query().where('user_id', user.id)
    if (rows.length !== 1) {
      throw new Error(`expected one notification for user ${user.id}, got ${rows.length}`)
    }
    return rows[0]
  }
  return { toBrand: await only(brand), toCreator: await only(creator), other: await only(outsider) }
}

async function isRead(id: number) {
  const row = await db.from('notifications').where('id', id).select('read_at').first()
  return row.read_at !== null
}

const ROUTES: Record<string, Stage> = {
  // ---------------------------------------------------------------- offers
  'GET /api/offers': async (cast) => {
    const brand = await cast.user('owner brand')
    const draft = await draftOffer(brand)
    const published = await publishedOffer(brand)
    const outsider = await userOf('brand')
    const otherDraft = await draftOffer(outsider)
    const otherPublished = await publishedOffer(outsider)
    const all = [draft.id, published.id, otherDraft.id, otherPublished.id]
    return {
      path: '/api/offers',
      success: expectItems({
        'owner brand': [draft.id, published.id],
        'creator': [published.id, otherPublished.id],
        'admin': all,
      }),
    }
  },
  'POST /api/offers': async () => ({
    path: '/api/offers',
    body: { title: 'Новая реклама', brief: 'Описание', budget: 100_000 },
    success: (data, { me }, assert) => {
      assert.include(data.offer, { brandId: me.id, status: 'draft', budget: 100_000 })
    },
  }),
  'GET /api/offers/:id': async (cast, state) => {
    const offer = await offerIn(cast, state)
    return {
      path: `/api/offers/${offer.id}`,
      success: (data, _caller, assert) => {
        assert.equal(data.offer.id, offer.id)
      },
    }
  },
  'PATCH /api/offers/:id': async (cast, state) => {
    const offer = await offerIn(cast, state)
    return {
      path: `/api/offers/${offer.id}`,
      body: { budget: 7000 },
      success: (data, _caller, assert) => {
        assert.include(data.offer, { id: offer.id, budget: 7000 })
      },
    }
  },
  'POST /api/offers/:id/publish': async (cast, state) => {
    const offer = await offerIn(cast, state)
    return {
      path: `/api/offers/${offer.id}/publish`,
      success: (data, _caller, assert) => {
        assert.include(data.offer, { id: offer.id, status: 'published' })
      },
    }
  },
  'POST /api/offers/:id/close': async (cast, state) => {
    const offer = await offerIn(cast, state)
    return {
      path: `/api/offers/${offer.id}/close`,
      success: (data, _caller, assert) => {
        assert.include(data.offer, { id: offer.id, status: 'closed' })
      },
    }
  },

  // ---------------------------------------------------------- applications
  'POST /api/offers/:id/applications': async (cast, state) => {
    const offer = await offerIn(cast, state)
    return {
      path: `/api/offers/${offer.id}/applications`,
      body: { message: 'Готов снять' },
      success: (data, { me }, assert) => {
        assert.include(data.application, {
          offerId: offer.id,
          creatorId: me.id,
          status: 'pending',
        })
      },
    }
  },
  'GET /api/applications': async (cast) => {
    const application = await applicationOf(cast)
    const other = await pendingApplication(
      await publishedOffer(await userOf('brand')),
      await userOf('creator')
    )
    return {
      path: '/api/applications',
      success: expectItems({
        'owner brand': [application.id],
        'linked creator': [application.id],
        'admin': [application.id, other.id],
      }),
    }
  },
  'POST /api/applications/:id/withdraw': async (cast) => {
    const application = await applicationOf(cast)
    return {
      path: `/api/applications/${application.id}/withdraw`,
      success: (data, _caller, assert) => {
        assert.include(data.application, { id: application.id, status: 'withdrawn' })
      },
    }
  },
  'POST /api/applications/:id/approve': async (cast) => {
    const application = await applicationOf(cast)
    return {
      path: `/api/applications/${application.id}/approve`,
      success: (data, _caller, assert) => {
        assert.include(data.application, { id: application.id, status: 'approved' })
        assert.include(data.deal, { applicationId: application.id, status: 'awaiting_funding' })
      },
    }
  },
  'POST /api/applications/:id/reject': async (cast) => {
    const application = await applicationOf(cast)
    return {
      path: `/api/applications/${application.id}/reject`,
      success: (data, _caller, assert) => {
        assert.include(data.application, { id: application.id, status: 'rejected' })
      },
    }
  },

  // --------------------------------------------------------------- invites
  'POST /api/offers/:id/invites': async (cast, state) => {
    const offer = await offerIn(cast, state)
    const invitee = await userOf('creator')
    return {
      path: `/api/offers/${offer.id}/invites`,
      body: { creatorId: invitee.id },
      success: (data, _caller, assert) => {
        assert.include(data.invite, { offerId: offer.id, creatorId: invitee.id, status: 'pending' })
      },
    }
  },
  'GET /api/invites': async (cast) => {
    const invite = await inviteOf(cast)
    const other = await pendingInvite(
      await publishedOffer(await userOf('brand')),
      await userOf('creator')
    )
    return {
      path: '/api/invites',
      success: expectItems({
        'owner brand': [invite.id],
        'linked creator': [invite.id],
        'admin': [invite.id, other.id],
      }),
    }
  },
  'POST /api/invites/:id/accept': async (cast) => {
    const invite = await inviteOf(cast)
    return {
      path: `/api/invites/${invite.id}/accept`,
      success: (data, _caller, assert) => {
        assert.include(data.invite, { id: invite.id, status: 'accepted' })
        assert.include(data.deal, { inviteId: invite.id, status: 'awaiting_funding' })
      },
    }
  },
  'POST /api/invites/:id/decline': async (cast) => {
    const invite = await inviteOf(cast)
    return {
      path: `/api/invites/${invite.id}/decline`,
      success: (data, _caller, assert) => {
        assert.include(data.invite, { id: invite.id, status: 'declined' })
      },
    }
  },
  'POST /api/invites/:id/withdraw': async (cast) => {
    const invite = await inviteOf(cast)
    return {
      path: `/api/invites/${invite.id}/withdraw`,
      success: (data, _caller, assert) => {
        assert.include(data.invite, { id: invite.id, status: 'withdrawn' })
      },
    }
  },

  // ----------------------------------------------------------------- deals
  'GET /api/deals': async (cast) => {
    const deal = await dealOf(cast)
    const other = await dealIn('awaiting_funding', await userOf('brand'), await userOf('creator'))
    return {
      path: '/api/deals',
      success: expectItems({
        'owner brand': [deal.id],
        'linked creator': [deal.id],
        'admin': [deal.id, other.id],
      }),
    }
  },
  'GET /api/deals/:id': async (cast, state) => {
    const deal = await dealOf(cast, state)
    return {
      path: `/api/deals/${deal.id}`,
      success: (data, _caller, assert) => {
        assert.equal(data.deal.id, deal.id)
        assert.isArray(data.deal.submissions)
      },
    }
  },
  'POST /api/deals/:id/fund': async (cast, state) => {
    const deal = await dealOf(cast, state)
    return {
      path: `/api/deals/${deal.id}/fund`,
      success: (data, _caller, assert) => {
        assert.include(data.deal, { id: deal.id, status: 'funded' })
      },
    }
  },
  'POST /api/deals/:id/approve': async (cast, state, client) => {
    const deal = await dealOf(cast, state, client)
    return {
      path: `/api/deals/${deal.id}/approve`,
      success: (data, _caller, assert) => {
        assert.include(data.deal, { id: deal.id, status: 'completed' })
      },
    }
  },
  'POST /api/deals/:id/submit': async (cast, state) => {
    const deal = await dealOf(cast, state)
    return {
      path: `/api/deals/${deal.id}/submit`,
      body: { url: 'https://video.example/2' },
      success: (data, _caller, assert) => {
        assert.include(data.deal, { id: deal.id, status: 'submitted' })
        assert.include(data.submission, { revision: 1, url: 'https://video.example/2' })
      },
    }
  },
  'POST /api/deals/:id/request-changes': async (cast, state) => {
    const deal = await dealOf(cast, state)
    return {
      path: `/api/deals/${deal.id}/request-changes`,
      body: { reason: 'Добавьте логотип' },
      success: (data, _caller, assert) => {
        assert.include(data.deal, { id: deal.id, status: 'funded' })
      },
    }
  },
  'POST /api/deals/:id/cancel': async (cast, state) => {
    const deal = await dealOf(cast, state)
    return {
      path: `/api/deals/${deal.id}/cancel`,
      success: (data, _caller, assert) => {
        assert.include(data.deal, { id: deal.id, status: 'cancelled' })
      },
    }
  },

  // --------------------------------------------------------- notifications
  'GET /api/notifications': async (cast) => {
    const { toBrand, toCreator } = await notificationsOf(cast)
    return {
      path: '/api/notifications',
      success: expectItems({ 'owner brand': [toBrand.id], 'linked creator': [toCreator.id] }),
    }
  },
  'GET /api/notifications/unread-count': async (cast) => {
    await notificationsOf(cast)
    return {
      path: '/api/notifications/unread-count',
      success: (data, { actor }, assert) => {
        assert.equal(data.unread, ['owner brand', 'linked creator'].includes(actor) ? 1 : 0)
      },
    }
  },
  'POST /api/notifications/read-all': async (cast) => {
    const { toBrand, toCreator, other } = await notificationsOf(cast)
    return {
      path: '/api/notifications/read-all',
      success: async (data, { me }, assert) => {
        const mine = [toBrand, toCreator, other].filter((n) => n.userId === me.id)
        assert.equal(data.marked, mine.length)
        for (const notification of [toBrand, toCreator, other]) {
          assert.equal(await isRead(notification.id), notification.userId === me.id)
        }
      },
    }
  },
  'POST /api/notifications/:id/read': async (cast, state) => {
    const { toBrand, toCreator } = await notificationsOf(cast)
    const target = state === 'to brand' ? toBrand : toCreator
    return {
      path: `/api/notifications/${target.id}/read`,
      success: async (data, _caller, assert) => {
        assert.include(data.notification, { id: target.id, read: true })
        assert.isFalse(await isRead((state === 'to brand' ? toCreator : toBrand).id))
      },
    }
  },
}

/**
 * The table. Every marketplace route has a success for its rightful caller;
 * every route naming a record has a stranger of that caller's role (404)
 * and, where some role can see the record but not act on it, that role (403).
 */
const TABLE: Row[] = [
  // offers
  { route: 'GET /api/offers', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/offers', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/offers', actor: 'creator', expect: 200 },
  { route: 'GET /api/offers', actor: 'admin', expect: 200 },

  { route: 'POST /api/offers', actor: 'owner brand', expect: 201 },
  { route: 'POST /api/offers', actor: 'creator', expect: 403 },
  { route: 'POST /api/offers', actor: 'admin', expect: 403 },

  { route: 'GET /api/offers/:id', actor: 'owner brand', state: 'draft', expect: 200 },
  { route: 'GET /api/offers/:id', actor: 'stranger brand', state: 'draft', expect: 404 },
  { route: 'GET /api/offers/:id', actor: 'stranger brand', state: 'published', expect: 404 },
  { route: 'GET /api/offers/:id', actor: 'creator', state: 'published', expect: 200 },
  { route: 'GET /api/offers/:id', actor: 'stranger creator', state: 'draft', expect: 404 },
  { route: 'GET /api/offers/:id', actor: 'stranger creator', state: 'closed', expect: 404 },
  { route: 'GET /api/offers/:id', actor: 'linked creator', state: 'closed', expect: 200 },
  {
    route: 'GET /api/offers/:id',
    actor: 'linked creator',
    state: 'closed after invite',
    expect: 200,
  },
  { route: 'GET /api/offers/:id', actor: 'admin', state: 'draft', expect: 200 },

  { route: 'PATCH /api/offers/:id', actor: 'owner brand', state: 'draft', expect: 200 },
  { route: 'PATCH /api/offers/:id', actor: 'stranger brand', state: 'draft', expect: 404 },
  { route: 'PATCH /api/offers/:id', actor: 'stranger brand', state: 'published', expect: 404 },
  { route: 'PATCH /api/offers/:id', actor: 'creator', state: 'published', expect: 403 },
  { route: 'PATCH /api/offers/:id', actor: 'stranger creator', state: 'draft', expect: 404 },
  { route: 'PATCH /api/offers/:id', actor: 'linked creator', state: 'closed', expect: 403 },
  { route: 'PATCH /api/offers/:id', actor: 'admin', state: 'draft', expect: 403 },

  { route: 'POST /api/offers/:id/publish', actor: 'owner brand', state: 'draft', expect: 200 },
  { route: 'POST /api/offers/:id/publish', actor: 'stranger brand', state: 'draft', expect: 404 },
  { route: 'POST /api/offers/:id/publish', actor: 'creator', state: 'published', expect: 403 },
  {
    route: 'POST /api/offers/:id/publish',
    actor: 'stranger creator',
    state: 'draft',
    expect: 404,
  },
  {
    route: 'POST /api/offers/:id/publish',
    actor: 'linked creator',
    state: 'closed',
    expect: 403,
  },
  { route: 'POST /api/offers/:id/publish', actor: 'admin', state: 'draft', expect: 403 },

  { route: 'POST /api/offers/:id/close', actor: 'owner brand', state: 'published', expect: 200 },
  { route: 'POST /api/offers/:id/close', actor: 'owner brand', state: 'draft', expect: 200 },
  {
    route: 'POST /api/offers/:id/close',
    actor: 'stranger brand',
    state: 'published',
    expect: 404,
  },
  { route: 'POST /api/offers/:id/close', actor: 'creator', state: 'published', expect: 403 },
  { route: 'POST /api/offers/:id/close', actor: 'stranger creator', state: 'draft', expect: 404 },
  { route: 'POST /api/offers/:id/close', actor: 'linked creator', state: 'closed', expect: 403 },
  { route: 'POST /api/offers/:id/close', actor: 'admin', state: 'published', expect: 403 },

  // applications
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'creator',
    state: 'published',
    expect: 201,
  },
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'stranger creator',
    state: 'draft',
    expect: 404,
  },
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'stranger creator',
    state: 'closed',
    expect: 404,
  },
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'owner brand',
    state: 'published',
    expect: 403,
  },
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'stranger brand',
    state: 'published',
    expect: 404,
  },
  {
    route: 'POST /api/offers/:id/applications',
    actor: 'admin',
    state: 'published',
    expect: 403,
  },

  { route: 'GET /api/applications', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/applications', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/applications', actor: 'linked creator', expect: 200 },
  { route: 'GET /api/applications', actor: 'stranger creator', expect: 200 },
  { route: 'GET /api/applications', actor: 'admin', expect: 200 },

  { route: 'POST /api/applications/:id/withdraw', actor: 'linked creator', expect: 200 },
  { route: 'POST /api/applications/:id/withdraw', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/applications/:id/withdraw', actor: 'owner brand', expect: 403 },
  { route: 'POST /api/applications/:id/withdraw', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/applications/:id/withdraw', actor: 'admin', expect: 403 },

  { route: 'POST /api/applications/:id/approve', actor: 'owner brand', expect: 200 },
  { route: 'POST /api/applications/:id/approve', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/applications/:id/approve', actor: 'linked creator', expect: 403 },
  { route: 'POST /api/applications/:id/approve', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/applications/:id/approve', actor: 'admin', expect: 403 },

  { route: 'POST /api/applications/:id/reject', actor: 'owner brand', expect: 200 },
  { route: 'POST /api/applications/:id/reject', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/applications/:id/reject', actor: 'linked creator', expect: 403 },
  { route: 'POST /api/applications/:id/reject', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/applications/:id/reject', actor: 'admin', expect: 403 },

  // invites
  {
    route: 'POST /api/offers/:id/invites',
    actor: 'owner brand',
    state: 'published',
    expect: 201,
  },
  {
    route: 'POST /api/offers/:id/invites',
    actor: 'stranger brand',
    state: 'published',
    expect: 404,
  },
  { route: 'POST /api/offers/:id/invites', actor: 'creator', state: 'published', expect: 403 },
  {
    route: 'POST /api/offers/:id/invites',
    actor: 'stranger creator',
    state: 'draft',
    expect: 404,
  },
  {
    route: 'POST /api/offers/:id/invites',
    actor: 'linked creator',
    state: 'closed',
    expect: 403,
  },
  { route: 'POST /api/offers/:id/invites', actor: 'admin', state: 'published', expect: 403 },

  { route: 'GET /api/invites', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/invites', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/invites', actor: 'linked creator', expect: 200 },
  { route: 'GET /api/invites', actor: 'stranger creator', expect: 200 },
  { route: 'GET /api/invites', actor: 'admin', expect: 200 },

  { route: 'POST /api/invites/:id/accept', actor: 'linked creator', expect: 200 },
  { route: 'POST /api/invites/:id/accept', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/invites/:id/accept', actor: 'owner brand', expect: 403 },
  { route: 'POST /api/invites/:id/accept', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/invites/:id/accept', actor: 'admin', expect: 403 },

  { route: 'POST /api/invites/:id/decline', actor: 'linked creator', expect: 200 },
  { route: 'POST /api/invites/:id/decline', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/invites/:id/decline', actor: 'owner brand', expect: 403 },
  { route: 'POST /api/invites/:id/decline', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/invites/:id/decline', actor: 'admin', expect: 403 },

  { route: 'POST /api/invites/:id/withdraw', actor: 'owner brand', expect: 200 },
  { route: 'POST /api/invites/:id/withdraw', actor: 'stranger brand', expect: 404 },
  { route: 'POST /api/invites/:id/withdraw', actor: 'linked creator', expect: 403 },
  { route: 'POST /api/invites/:id/withdraw', actor: 'stranger creator', expect: 404 },
  { route: 'POST /api/invites/:id/withdraw', actor: 'admin', expect: 403 },

  // deals
  { route: 'GET /api/deals', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/deals', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/deals', actor: 'linked creator', expect: 200 },
  { route: 'GET /api/deals', actor: 'stranger creator', expect: 200 },
  { route: 'GET /api/deals', actor: 'admin', expect: 200 },

  { route: 'GET /api/deals/:id', actor: 'owner brand', state: 'submitted', expect: 200 },
  { route: 'GET /api/deals/:id', actor: 'linked creator', state: 'submitted', expect: 200 },
  { route: 'GET /api/deals/:id', actor: 'admin', state: 'submitted', expect: 200 },
  { route: 'GET /api/deals/:id', actor: 'stranger brand', state: 'submitted', expect: 404 },
  { route: 'GET /api/deals/:id', actor: 'stranger creator', state: 'submitted', expect: 404 },

  { route: 'POST /api/deals/:id/submit', actor: 'linked creator', state: 'funded', expect: 200 },
  {
    route: 'POST /api/deals/:id/submit',
    actor: 'stranger creator',
    state: 'funded',
    expect: 404,
  },
  { route: 'POST /api/deals/:id/submit', actor: 'owner brand', state: 'funded', expect: 403 },
  { route: 'POST /api/deals/:id/submit', actor: 'stranger brand', state: 'funded', expect: 404 },
  { route: 'POST /api/deals/:id/submit', actor: 'admin', state: 'funded', expect: 403 },

  {
    route: 'POST /api/deals/:id/fund',
    actor: 'owner brand',
    state: 'awaiting_funding',
    expect: 200,
  },
  {
    route: 'POST /api/deals/:id/fund',
    actor: 'stranger brand',
    state: 'awaiting_funding',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/fund',
    actor: 'linked creator',
    state: 'awaiting_funding',
    expect: 403,
  },
  {
    route: 'POST /api/deals/:id/fund',
    actor: 'stranger creator',
    state: 'awaiting_funding',
    expect: 404,
  },
  { route: 'POST /api/deals/:id/fund', actor: 'admin', state: 'awaiting_funding', expect: 403 },

  {
    route: 'POST /api/deals/:id/approve',
    actor: 'owner brand',
    state: 'paid in and submitted',
    expect: 200,
  },
  {
    route: 'POST /api/deals/:id/approve',
    actor: 'stranger brand',
    state: 'paid in and submitted',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/approve',
    actor: 'linked creator',
    state: 'paid in and submitted',
    expect: 403,
  },
  {
    route: 'POST /api/deals/:id/approve',
    actor: 'stranger creator',
    state: 'paid in and submitted',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/approve',
    actor: 'admin',
    state: 'paid in and submitted',
    expect: 403,
  },

  {
    route: 'POST /api/deals/:id/request-changes',
    actor: 'owner brand',
    state: 'submitted',
    expect: 200,
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    actor: 'stranger brand',
    state: 'submitted',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    actor: 'linked creator',
    state: 'submitted',
    expect: 403,
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    actor: 'stranger creator',
    state: 'submitted',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/request-changes',
    actor: 'admin',
    state: 'submitted',
    expect: 403,
  },

  {
    route: 'POST /api/deals/:id/cancel',
    actor: 'owner brand',
    state: 'awaiting_funding',
    expect: 200,
  },
  { route: 'POST /api/deals/:id/cancel', actor: 'admin', state: 'awaiting_funding', expect: 200 },
  {
    route: 'POST /api/deals/:id/cancel',
    actor: 'stranger brand',
    state: 'awaiting_funding',
    expect: 404,
  },
  {
    route: 'POST /api/deals/:id/cancel',
    actor: 'linked creator',
    state: 'awaiting_funding',
    expect: 403,
  },
  {
    route: 'POST /api/deals/:id/cancel',
    actor: 'stranger creator',
    state: 'awaiting_funding',
    expect: 404,
  },

  // notifications
  { route: 'GET /api/notifications', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/notifications', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/notifications', actor: 'linked creator', expect: 200 },
  { route: 'GET /api/notifications', actor: 'stranger creator', expect: 200 },
  { route: 'GET /api/notifications', actor: 'admin', expect: 200 },

  { route: 'GET /api/notifications/unread-count', actor: 'owner brand', expect: 200 },
  { route: 'GET /api/notifications/unread-count', actor: 'stranger brand', expect: 200 },
  { route: 'GET /api/notifications/unread-count', actor: 'linked creator', expect: 200 },
  { route: 'GET /api/notifications/unread-count', actor: 'stranger creator', expect: 200 },
  { route: 'GET /api/notifications/unread-count', actor: 'admin', expect: 200 },

  { route: 'POST /api/notifications/read-all', actor: 'owner brand', expect: 200 },
  { route: 'POST /api/notifications/read-all', actor: 'stranger brand', expect: 200 },
  { route: 'POST /api/notifications/read-all', actor: 'linked creator', expect: 200 },
  { route: 'POST /api/notifications/read-all', actor: 'stranger creator', expect: 200 },
  { route: 'POST /api/notifications/read-all', actor: 'admin', expect: 200 },

  {
    route: 'POST /api/notifications/:id/read',
    actor: 'linked creator',
    state: 'to creator',
    expect: 200,
  },
  {
    route: 'POST /api/notifications/:id/read',
    actor: 'stranger creator',
    state: 'to creator',
    expect: 404,
  },
  {
    route: 'POST /api/notifications/:id/read',
    actor: 'owner brand',
    state: 'to creator',
    expect: 404,
  },
  { route: 'POST /api/notifications/:id/read', actor: 'admin', state: 'to creator', expect: 404 },
  {
    route: 'POST /api/notifications/:id/read',
    actor: 'owner brand',
    state: 'to brand',
    expect: 200,
  },
  {
    route: 'POST /api/notifications/:id/read',
    actor: 'stranger brand',
    state: 'to brand',
    expect: 404,
  },
  {
    route: 'POST /api/notifications/:id/read',
    actor: 'linked creator',
    state: 'to brand',
    expect: 404,
  },
  { route: 'POST /api/notifications/:id/read', actor: 'admin', state: 'to brand', expect: 404 },
]

/**
 * Routes naming a record where no role can see it without being allowed
 * to act: reading is all they do (and a notification is its recipient's
 * alone), so there is no 403 row.
 */
const NO_FORBIDDEN_CASE: Record<string, string> = {
  'GET /api/offers/:id': 'viewing is the action',
  'GET /api/deals/:id': 'viewing is the action',
  'POST /api/notifications/:id/read': 'only the recipient can see a notification',
}

const STRANGER_OF: Partial<Record<Actor, Actor>> = {
  'owner brand': 'stranger brand',
  'creator': 'stranger creator',
  'linked creator': 'stranger creator',
}

function describeRow(row: Row) {
  return `${row.route} as ${row.actor}${row.state ? ` (${row.state})` : ''} → ${row.expect}`
}

const ROWS = TABLE.map((row) => ({ ...row, toString: () => describeRow(row) }))

/**
 * The marketplace's routes as the router knows them: offers, applications,
 * invites, deals, notifications.
 */
function marketplaceRoutes() {
  const marketplace = /^\/api\/(offers|applications|invites|deals|notifications)(\/|$)/
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => marketplace.test(route.pattern))
    .flatMap((route) =>
      route.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${route.pattern}`)
    )
}

/**
 * How many rows each table holds (money tables included, whatever they are).
 */
async function rowCounts() {
  const connection = db.connection()
  const isPostgres = connection.dialect.name === 'postgres'
  const tables = await connection.getAllTables(isPostgres ? ['public'] : undefined)
  const counts: Record<string, number> = {}
  for (const table of tables.filter((name) => !name.startsWith('adonis_schema')).sort()) {
    const row = await connection.from(table).count('* as total').first()
    counts[table] = Number(row.total)
  }
  return counts
}

/**
 * Everything a refused request could have changed.
 */
async function fingerprint() {
  const rows = (table: string, columns: string[]) =>
    db.from(table).select(columns).orderBy('id', 'asc')
  return {
    counts: await rowCounts(),
    offers: await rows('offers', ['id', 'status', 'title', 'brief', 'budget', 'deadline']),
    applications: await rows('applications', ['id', 'status']),
    invites: await rows('invites', ['id', 'status']),
    deals: await rows('deals', ['id', 'status']),
    submissions: await rows('deal_submissions', ['id', 'change_request']),
    events: await rows('outbox_events', ['id']),
    notifications: readFlags(await rows('notifications', ['id', 'read_at'])),
  }
}

function readFlags(notifications: Array<{ id: number | string; read_at: unknown }>) {
  return notifications.map((row) => ({ id: Number(row.id), read: row.read_at !== null }))
}

function send(client: ApiClient, route: string, scene: Scene, token: string) {
  const [verb] = route.split(' ')
  if (verb === 'GET') {
    return client.get(scene.path).bearerToken(token)
  }
  const request = (
    verb === 'PATCH' ? client.patch(scene.path) : client.post(scene.path)
  ).bearerToken(token)
  return scene.body ? request.json(scene.body) : request
}

test.group('marketplace authorization: role × route × owner/stranger', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('the table names every marketplace route, and only those', ({ assert }) => {
    const tabled = [...new Set(TABLE.map((row) => row.route))]
    assert.sameMembers(tabled, marketplaceRoutes())
    assert.sameMembers(Object.keys(ROUTES), marketplaceRoutes())
  })

  test('every route has a success; every record route a stranger 404 and a 403', ({ assert }) => {
    for (const route of marketplaceRoutes()) {
      const rows = TABLE.filter((row) => row.route === route)
      const successes = rows.filter((row) => row.expect < 300)
      assert.isAbove(successes.length, 0, `${route}: no success row`)
      if (!route.includes(':id')) {
        continue
      }
      for (const success of successes) {
        const stranger = STRANGER_OF[success.actor]
        if (stranger) {
          assert.isTrue(
            rows.some((row) => row.actor === stranger && row.expect === 404),
            `${route}: no 404 row for a ${stranger}`
          )
        }
      }
      if (!(route in NO_FORBIDDEN_CASE)) {
        assert.isTrue(
          rows.some((row) => row.expect === 403),
          `${route}: no 403 row`
        )
      }
    }
  })

  test('{$self}')
    .with(ROWS)
    .run(async ({ client, assert }, row) => {
      const cast = new Cast()
      const scene = await ROUTES[row.route](cast, row.state, client)
      const caller = await cast.party(row.actor)
      const before = await fingerprint()

      const response = await send(client, row.route, scene, caller.token)

      const body = response.body()
      assert.equal(response.status(), row.expect, JSON.stringify(body))
      const code = CODE_OF[row.expect]
      if (code === null) {
        assert.isTrue(body.ok)
        await scene.success?.(body.data, { actor: row.actor, me: caller.user }, assert)
      } else {
        assert.isFalse(body.ok)
        assert.equal(body.error.code, code)
        assert.notProperty(body, 'data')
      }
      if (code !== null || row.route.startsWith('GET ')) {
        assert.deepEqual(await fingerprint(), before, 'the request changed nothing')
      }
    })
})
