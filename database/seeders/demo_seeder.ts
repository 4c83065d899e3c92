import db from '@adonisjs/lucid/services/db'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import User, { type UserRole } from '#models/user'
import type Offer from '#models/offer'
import type { ActionContext } from '#services/action_context'
import { createUser } from '#services/users/create_user'
import { createOffer } from '#services/offers/create_offer'
import { publishOffer } from '#services/offers/publish_offer'
import { closeOffer } from '#services/offers/close_offer'
import { submitApplication } from '#services/applications/submit_application'
import {
  approveApplication,
  rejectApplication,
  withdrawApplication,
} from '#services/applications/decide_application'
import { createInvite } from '#services/invites/create_invite'
import { acceptInvite, declineInvite } from '#services/invites/answer_invite'
import { submitWork } from '#services/deals/submit_work'
import { requestChanges } from '#services/deals/request_changes'
import { cancelDeal } from '#services/deals/cancel_deal'
import { fundDeal } from '#services/payments/fund_deal'
import { releaseEscrow } from '#services/payments/release_escrow'
import { requestPayout } from '#services/payouts/request_payout'
import { approvePayout, markPayoutPaid } from '#services/payouts/decide_payout'

/**
 * Demo accounts for the embedded start. Their password is public: these
 * accounts exist only on a developer's machine.
 */
export const DEMO_PASSWORD = 'demo-password'

export const DEMO_ACCOUNTS: Array<{ email: string; role: UserRole; displayName: string }> = [
  { email: 'admin@demo.collab', role: 'admin', displayName: 'Администратор' },
  { email: 'brand1@demo.collab', role: 'brand', displayName: 'Бренд «Северный ветер»' },
  { email: 'brand2@demo.collab', role: 'brand', displayName: 'Бренд «Лисья нора»' },
  { email: 'creator1@demo.collab', role: 'creator', displayName: 'Маша Рисует' },
  { email: 'creator2@demo.collab', role: 'creator', displayName: 'Петя Снимает' },
  { email: 'creator3@demo.collab', role: 'creator', displayName: 'Оля Пишет' },
]

const as = (actor: User): ActionContext => ({ actor, requestId: 'demo-seed' })

/**
 * Two brands, three creators and a marketplace in motion: offers in every
 * status, applications and invites answered every way, deals in several
 * states, money in escrow, released and paid out. Everything goes through the services, so the outbox holds the
 * same events real requests would have written. Runs once: a database that
 * already has offers is left alone.
 */
export default class DemoSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    // Before any account is made: a database with data of its own gets no
    // admin whose password is public.
    const offers = await db.from('offers').count('* as total').first()
    if (Number(offers.total) > 0) {
      return
    }
    const users = new Map<string, User>()
    for (const account of DEMO_ACCOUNTS) {
      const existing = await User.findBy('email', account.email)
      users.set(
        account.email,
        existing ?? (await createUser({ ...account, password: DEMO_PASSWORD }))
      )
    }

    const admin = users.get('admin@demo.collab')!
    const north = users.get('brand1@demo.collab')!
    const fox = users.get('brand2@demo.collab')!
    const [masha, petya, olya] = ['creator1', 'creator2', 'creator3'].map((name) =>
      users.get(`${name}@demo.collab`)!
    )

    const offer = async (brand: User, title: string, brief: string, budget: number) =>
      createOffer(as(brand), { title, brief, budget })
    const published = async (brand: User, title: string, brief: string, budget: number) =>
      publishOffer(as(brand), await offer(brand, title, brief, budget))

    await offer(north, 'Зимняя коллекция курток', 'Черновик: съёмка лукбука в городе.', 1_500_000)
    const backpack = await published(
      north,
      'Обзор школьного рюкзака',
      'Видео до 60 секунд: распаковка и первые впечатления.',
      500_000
    )
    const stickers = await published(
      north,
      'Стикерпак для соцсетей',
      'Нарисовать 10 стикеров в фирменном стиле.',
      300_000
    )
    const closed: Offer = await published(
      fox,
      'Летний челлендж',
      'Танцевальный челлендж с нашим треком.',
      800_000
    )
    const book = await published(
      fox,
      'Рецензия на книгу',
      'Пост или видео о новой подростковой книге.',
      200_000
    )

    const approvedApp = await submitApplication(as(masha), backpack, 'Снимаю обзоры каждую неделю')
    const { deal: backpackDeal } = await approveApplication(as(north), approvedApp)
    await submitApplication(as(petya), backpack, 'Могу снять на улице')
    const rejected = await submitApplication(as(olya), backpack, 'Напишу текстовый обзор')
    await rejectApplication(as(north), rejected)
    const withdrawn = await submitApplication(as(petya), stickers, 'Попробую')
    await withdrawApplication(as(petya), withdrawn)
    const stickerApp = await submitApplication(as(masha), stickers, 'Рисую стикеры давно')

    const acceptedInvite = await createInvite(as(fox), book, {
      creatorId: olya.id,
      message: 'Нам нравятся ваши рецензии',
    })
    const { deal: bookDeal } = await acceptInvite(as(olya), acceptedInvite)
    const declined = await createInvite(as(fox), book, { creatorId: petya.id })
    await declineInvite(as(petya), declined)
    await createInvite(as(fox), book, { creatorId: masha.id, message: 'Приглашаем!' })
    const challengeApp = await submitApplication(as(petya), closed, 'Танцую с детства')
    const { deal: challengeDeal } = await approveApplication(as(fox), challengeApp)
    await cancelDeal(as(fox), challengeDeal.id)
    await closeOffer(as(fox), closed)

    await fundDeal(as(north), backpackDeal)
    await submitWork(as(masha), backpackDeal, { url: 'https://video.example/backpack-v1' })
    await requestChanges(as(north), backpackDeal, 'Покажите, как рюкзак выглядит на спине')
    await fundDeal(as(fox), bookDeal)
    await submitWork(as(olya), bookDeal, {
      url: 'https://blog.example/book-review',
      note: 'Готово!',
    })

    const { deal: stickerDeal } = await approveApplication(as(north), stickerApp)
    await fundDeal(as(north), stickerDeal)
    await submitWork(as(masha), stickerDeal, { url: 'https://art.example/stickers' })
    await releaseEscrow(as(north), stickerDeal.id)
    const payout = await requestPayout(as(masha), 200_000)
    await approvePayout(as(admin), payout.id)
    await markPayoutPaid(as(admin), payout.id)
    await requestPayout(as(masha), 50_000)
  }
}
