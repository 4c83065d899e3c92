import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { toDbTimestamp } from '#services/database/timestamps'

export type Volume = {
  brands: number
  creators: number
  offers: number
  applications: number
  invites: number
  deals: number
  notifications: number
}

/** The rows one unit of `--scale` adds. */
const UNIT: Volume = {
  brands: 20,
  creators: 200,
  offers: 2_000,
  applications: 6_000,
  invites: 2_000,
  deals: 500,
  notifications: 5_000,
}

/**
 * At scale 0, only the brand and the creators the workload signs in as.
 */
export function volumeAt(scale: number): Volume {
  const volume = Object.fromEntries(
    Object.entries(UNIT).map(([table, rows]) => [table, rows * scale])
  ) as Volume
  return { ...volume, brands: Math.max(1, volume.brands), creators: Math.max(2, volume.creators) }
}

/** Who the workload signs in as: the busiest brand and creator of the seed. */
export type SeededCast = { brandEmail: string; creatorEmail: string; password: string }

type Ids = { brands: number[]; creators: number[] }
type SeededOffer = { id: number; brand_id: number }

const BATCH = 400
const PRODUCTS = ['рюкзак', 'кроссовки', 'наушники', 'смартфон', 'термос', 'электросамокат']
const FORMATS = ['Обзор', 'Распаковка', 'Тест-драйв', 'Интеграция']
const NOTIFICATION_TYPES = [
  'application_received',
  'application_approved',
  'invite_received',
  'deal_created',
  'work_submitted',
  'payment_released',
]

/**
 * Adds a marketplace's worth of rows, shaped like real use: one brand owns
 * every 10th offer, one creator applied to every 10th offer and gets every
 * 5th invite and every 10th notification, the rest is spread evenly; older
 * rows have older timestamps. Deals are left unfunded or cancelled, so the
 * ledger stays untouched. Then the database is vacuumed and analyzed, as a
 * settled one would be.
 */
export async function seedVolume(volume: Volume): Promise<SeededCast> {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const password = randomBytes(12).toString('base64url')
  const passwordHash = await hash.use('scrypt').make(password)
  await db.transaction(async (trx) => {
    const ids = await seedUsers(trx, volume, runId, passwordHash)
    const offers = await seedOffers(trx, volume, ids)
    await seedApplicationsAndDeals(trx, volume, ids, offers)
    await seedInvites(trx, volume, ids, offers)
    await seedNotifications(trx, volume, ids)
  })
  // A settled PostgreSQL database has been vacuumed too: its visibility map
  // lets counts use index-only scans, which a fresh seed would not show.
  await db.rawQuery(db.connection().dialect.name === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE')
  return {
    brandEmail: emailOf(runId, 'brand', 0),
    creatorEmail: emailOf(runId, 'creator', 0),
    password,
  }
}

function emailOf(runId: string, role: string, index: number) {
  return `perf-${runId}-${role}-${index}@perf.test`
}

/** A timestamp `secondsAgo` before now, as the connection stores it. */
function ago(trx: QueryClientContract, secondsAgo: number) {
  return toDbTimestamp(DateTime.now().minus({ seconds: secondsAgo }), trx)
}

async function insertAll(trx: QueryClientContract, table: string, rows: object[]) {
  for (let start = 0; start < rows.length; start += BATCH) {
    await trx.table(table).multiInsert(rows.slice(start, start + BATCH))
  }
}

async function seedUsers(
  trx: QueryClientContract,
  volume: Volume,
  runId: string,
  passwordHash: string
): Promise<Ids> {
  const created = ago(trx, 400 * 86_400)
  const users = (['brand', 'creator'] as const).flatMap((role) =>
    Array.from({ length: role === 'brand' ? volume.brands : volume.creators }, (_, index) => ({
      email: emailOf(runId, role, index),
      password: passwordHash,
      role,
      display_name: `${role === 'brand' ? 'Бренд' : 'Автор'} ${index}`,
      created_at: created,
      updated_at: created,
    }))
  )
  await insertAll(trx, 'users', users)
  const rows: { id: number; role: string }[] = await trx
    .from('users')
    .select('id', 'role')
    .whereLike('email', `perf-${runId}-%`)
    .orderBy('id')
  return {
    brands: rows.filter((row) => row.role === 'brand').map((row) => row.id),
    creators: rows.filter((row) => row.role === 'creator').map((row) => row.id),
  }
}

async function seedOffers(
  trx: QueryClientContract,
  volume: Volume,
  ids: Ids
): Promise<SeededOffer[]> {
  const offers = Array.from({ length: volume.offers }, (_, index) => {
    const at = ago(trx, (volume.offers - index) * 60)
    const status = index % 7 === 0 ? 'draft' : index % 7 === 1 ? 'closed' : 'published'
    const product = PRODUCTS[index % 200 === 7 ? 5 : index % 5]
    const title = `${FORMATS[index % 4]}: ${product} № ${index}`
    const brief =
      `Нужно снять короткое вертикальное видео о товаре «${product}»: распаковка, первые ` +
      `впечатления и пара сценариев использования. Техническое задание № ${index}.`
    return {
      brand_id: index % 10 === 0 ? ids.brands[0] : ids.brands[index % ids.brands.length],
      title,
      brief,
      search_text: `${title}\n${brief}`.toLowerCase(),
      budget: 100_000 + (index % 50) * 10_000,
      currency: 'RUB',
      status,
      published_at: status === 'draft' ? null : at,
      closed_at: status === 'closed' ? at : null,
      created_at: at,
      updated_at: at,
    }
  })
  await insertAll(trx, 'offers', offers)
  return trx.from('offers').select('id', 'brand_id').whereIn('brand_id', ids.brands).orderBy('id')
}

/**
 * Application j goes to offer j mod offers, by a creator that differs for
 * each round over the offers, so (offer, creator) stays unique. The first
 * `deals` applications are approved and have a deal.
 */
async function seedApplicationsAndDeals(
  trx: QueryClientContract,
  volume: Volume,
  ids: Ids,
  offers: SeededOffer[]
) {
  const others = ids.creators.length - 1
  const applications = Array.from({ length: volume.applications }, (_, index) => {
    const offerIndex = index % offers.length
    const round = Math.floor(index / offers.length)
    const creator =
      round === 0 && offerIndex % 10 === 0
        ? ids.creators[0]
        : ids.creators[1 + ((round + offerIndex) % others)]
    const at = ago(trx, (volume.applications - index) * 20)
    const status =
      index < volume.deals
        ? 'approved'
        : index % 5 === 0
          ? 'rejected'
          : index % 11 === 0
            ? 'withdrawn'
            : 'pending'
    return {
      offer_id: offers[offerIndex].id,
      creator_id: creator,
      brand_id: offers[offerIndex].brand_id,
      message: index % 3 === 0 ? null : 'Хочу участвовать, готов снять за неделю',
      status,
      created_at: at,
      updated_at: at,
    }
  })
  await insertAll(trx, 'applications', applications)
  const approved: { id: number; offer_id: number; creator_id: number; brand_id: number }[] =
    await trx
      .from('applications')
      .select('id', 'offer_id', 'creator_id', 'brand_id')
      .whereIn('brand_id', ids.brands)
      .where('status', 'approved')
      .orderBy('id')
  const at = ago(trx, 3_600)
  await insertAll(
    trx,
    'deals',
    approved.map((application, index) => ({
      offer_id: application.offer_id,
      brand_id: application.brand_id,
      creator_id: application.creator_id,
      application_id: application.id,
      amount: 100_000,
      currency: 'RUB',
      status: index % 2 === 0 ? 'awaiting_funding' : 'cancelled',
      created_at: at,
      updated_at: at,
    }))
  )
}

async function seedInvites(
  trx: QueryClientContract,
  volume: Volume,
  ids: Ids,
  offers: SeededOffer[]
) {
  const statuses = ['pending', 'accepted', 'declined', 'withdrawn', 'expired']
  const others = ids.creators.length - 1
  const invites = Array.from({ length: Math.min(volume.invites, offers.length) }, (_, index) => {
    const secondsAgo = (volume.invites - index) * 60
    return {
      offer_id: offers[index].id,
      creator_id: index % 5 === 0 ? ids.creators[0] : ids.creators[1 + (index % others)],
      brand_id: offers[index].brand_id,
      message: 'Приглашаем снять обзор',
      status: statuses[Math.floor(index / 5) % 5],
      expires_at: ago(trx, secondsAgo - 7 * 86_400),
      created_at: ago(trx, secondsAgo),
      updated_at: ago(trx, secondsAgo),
    }
  })
  await insertAll(trx, 'invites', invites)
}

/**
 * Each notification has its own handled outbox event, as the consumer
 * leaves them.
 */
async function seedNotifications(trx: QueryClientContract, volume: Volume, ids: Ids) {
  const before = await trx.from('outbox_events').max('id as last').first()
  const payload = JSON.stringify({ offerId: 1, applicationId: 1 })
  const events = Array.from({ length: volume.notifications }, (_, index) => {
    const at = ago(trx, (volume.notifications - index) * 6)
    return {
      type: 'application.submitted',
      aggregate_type: 'application',
      aggregate_id: index + 1,
      payload,
      meta: '{"requestId":null,"actorId":null}',
      status: 'done',
      attempts: 1,
      next_attempt_at: at,
      created_at: at,
      processed_at: at,
    }
  })
  await insertAll(trx, 'outbox_events', events)
  const eventRows: { id: number | string }[] = await trx
    .from('outbox_events')
    .select('id')
    .where('id', '>', Number(before?.last ?? 0))
    .orderBy('id')
  const eventIds = eventRows.map((row) => Number(row.id))
  const users = [...ids.brands, ...ids.creators]
  const notifications = eventIds.map((eventId, index) => {
    const secondsAgo = (eventIds.length - index) * 6
    return {
      user_id:
        index % 10 === 0
          ? ids.creators[0]
          : index % 10 === 1
            ? ids.brands[0]
            : users[index % users.length],
      event_id: eventId,
      type: NOTIFICATION_TYPES[index % NOTIFICATION_TYPES.length],
      payload,
      telegram: index % 2 === 0,
      read_at: index % 3 === 0 ? null : ago(trx, secondsAgo - 3_600),
      created_at: ago(trx, secondsAgo),
    }
  })
  await insertAll(trx, 'notifications', notifications)
}
