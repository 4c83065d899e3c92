import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Assert } from '@japa/assert'
import type User from '#models/user'
import Deal from '#models/deal'
import { DateTime } from 'luxon'
import { dbNow, toDbTimestamp } from '#services/database/timestamps'
import { createUser } from '#services/users/create_user'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, resetRateLimits } from '#tests/support/auth'
import {
  as,
  creatorWithBalance,
  dealIn,
  draftOffer,
  pendingApplication,
  pendingInvite,
  publishedOffer,
} from '#tests/support/marketplace'
import { WebAgent, untranslatedWords, type Page } from '#tests/support/web_agent'
import { QueryRecorder } from '#services/perf/query_recorder'
import { insertUsers } from '#tests/support/telegram_deliveries'
import { baseUrl } from '#tests/support/http'
import { closeOffer } from '#services/offers/close_offer'
import { acceptInvite } from '#services/invites/answer_invite'
import { blockUser } from '#services/users/block_user'
import { requestPayout } from '#services/payouts/request_payout'
import { TEXT_SEARCH_WINDOW } from '#services/offers/search_text'

let sequence = 0

async function person(role: User['role'], displayName: string) {
  sequence += 1
  return createUser({
    email: `more${sequence}-${Date.now()}@example.test`,
    password: DEFAULT_PASSWORD,
    role,
    displayName,
  })
}

async function signedIn(user: User) {
  const agent = new WebAgent()
  await agent.signIn(user)
  return agent
}

function assertPage(assert: Assert, page: Page, path: string, status = 200) {
  assert.equal(page.url.split('?')[0], path)
  assert.equal(page.status, status, page.text.slice(0, 300))
  assert.deepEqual(untranslatedWords(page.text), [], `${page.url}: ${page.text.slice(0, 400)}`)
}

test.group('web pages: the rest of the journey', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('signed-in pages are never kept by the browser; the page policy allows no base or plugin', async ({
    assert,
  }) => {
    const creator = await person('creator', 'Автор')
    const guest = await new WebAgent().get('/login')
    assert.notInclude(guest.headers.get('cache-control') ?? '', 'no-store')

    const agent = await signedIn(creator)
    for (const path of ['/balance', '/notifications', '/telegram', '/offers', '/deals/999999']) {
      const page = await agent.get(path)
      assert.equal(page.headers.get('cache-control'), 'no-store', path)
    }
    const policy = (await agent.get('/balance')).headers.get('content-security-policy') ?? ''
    assert.include(policy, "base-uri 'none'")
    assert.include(policy, "object-src 'none'")
  })

  test('a link opened while signed out leads to its page after sign-in, and only once', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const deal = await dealIn('awaiting_funding', brand, creator)
    const agent = new WebAgent()

    const asked = await agent.get(`/deals/${deal.id}?from=telegram`)
    assert.equal(asked.url, '/login')
    const landed = await agent.submit('/login', {
      email: creator.email,
      password: DEFAULT_PASSWORD,
    })

    assert.equal(landed.url, `/deals/${deal.id}?from=telegram`)
    assert.equal(landed.status, 200)
    await agent.submit('/logout')

    const sharedBrowser = new WebAgent()
    await sharedBrowser.get(`/deals/${deal.id}`)
    await sharedBrowser.get('/register')
    await sharedBrowser.submit('/register', {
      role: 'creator',
      displayName: 'Новичок',
      email: `newcomer-${Date.now()}@example.test`,
      password: DEFAULT_PASSWORD,
    })
    await sharedBrowser.submit('/logout')
    await sharedBrowser.get('/login')
    const nextPerson = await sharedBrowser.submit('/login', {
      email: brand.email,
      password: DEFAULT_PASSWORD,
    })
    assert.notEqual(
      nextPerson.url,
      `/deals/${deal.id}`,
      'a page asked for by someone who then signed out is not where the next person lands'
    )

    await agent.get('/login')
    const again = await agent.submit('/login', { email: creator.email, password: DEFAULT_PASSWORD })
    assert.notEqual(again.url, `/deals/${deal.id}?from=telegram`)
  })

  test('the payout form sent twice makes one request; sent again with another amount, a new one', async ({
    assert,
  }) => {
    const creator = await creatorWithBalance()
    const agent = await signedIn(creator.user)
    const form = await agent.get('/balance')
    const formKey = /name="formKey" value="([^"]+)"/.exec(form.html)![1]
    const payouts = async () =>
      Number(
        (
          await db.from('payout_requests').where('creator_id', creator.user.id).count('* as total')
        )[0].total
      )

    const first = await agent.submit('/payouts', { amount: '1000', formKey })
    assert.include(first.text, 'Запрос на выплату отправлен')
    const again = await agent.submit('/payouts', { amount: '1000', formKey })
    assert.include(again.text, 'Этот запрос на выплату уже отправлен')
    assert.equal(await payouts(), 1)

    const edited = await agent.submit('/payouts', { amount: '1500', formKey })
    assert.include(edited.text, 'Запрос на выплату отправлен')
    const editedAgain = await agent.submit('/payouts', { amount: '1500', formKey })
    assert.include(editedAgain.text, 'Этот запрос на выплату уже отправлен')
    assert.equal(await payouts(), 2)
    assert.notInclude(
      (await agent.get('/balance')).html,
      `value="${formKey}"`,
      'each page, a new key'
    )
  })

  test('no approve, accept or apply is offered where a deal already exists or the brand is blocked', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    const application = await pendingApplication(offer, creator)
    const invite = await pendingInvite(offer, creator)
    await acceptInvite(as(creator), invite)
    const brandAgent = await signedIn(brand)
    const offerPage = await brandAgent.get(`/offers/${offer.id}`)
    assert.notInclude(offerPage.html, `/applications/${application.id}/approve`)
    assert.include(offerPage.html, `/applications/${application.id}/reject`)

    const other = await publishedOffer(brand, { title: 'Другое предложение' })
    const laterInvite = await pendingInvite(other, creator)
    const creatorAgent = await signedIn(creator)
    assert.include((await creatorAgent.get('/invites')).html, `/invites/${laterInvite.id}/accept`)
    assert.include((await creatorAgent.get(`/offers/${other.id}`)).html, 'Откликнуться')
    await blockUser(brand)
    const invitesWhileBlocked = await creatorAgent.get('/invites')
    assert.notInclude(invitesWhileBlocked.html, `/invites/${laterInvite.id}/accept`)
    assert.include(invitesWhileBlocked.html, `/invites/${laterInvite.id}/decline`)
    const blockedOffer = await creatorAgent.get(`/offers/${other.id}`)
    assert.notInclude(blockedOffer.html, `action="/offers/${other.id}/applications"`)
    assert.include(blockedOffer.text, 'Бренд заблокирован администратором')
  })

  test('a page asks about deals and blocked brands only where the viewer could start a deal', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    await pendingApplication(offer, creator)
    await pendingInvite(offer, creator)
    const dealingQueriesDuring = async (agent: WebAgent, path: string) => {
      const recorder = new QueryRecorder()
      recorder.start()
      try {
        assertPage(assert, await agent.get(path), path)
      } finally {
        await recorder.stop()
      }
      return recorder.queries.filter((query) =>
        /from [`"]deals[`"]|[`"]blocked_at[`"] is not null/.test(query.sql)
      )
    }

    const admin = await signedIn(await person('admin', 'Админ'))
    assert.lengthOf(await dealingQueriesDuring(admin, '/applications'), 0)
    assert.lengthOf(await dealingQueriesDuring(admin, '/invites'), 0)
    const brandAgent = await signedIn(brand)
    assert.lengthOf(
      await dealingQueriesDuring(brandAgent, '/invites'),
      0,
      'a brand accepts nothing'
    )
    assert.lengthOf(await dealingQueriesDuring(brandAgent, '/applications'), 2, 'it approves')
    const creatorAgent = await signedIn(creator)
    assert.lengthOf(await dealingQueriesDuring(creatorAgent, '/invites'), 2, 'a creator accepts')
    assert.lengthOf(await dealingQueriesDuring(creatorAgent, '/applications'), 0)
  })

  test('cancelling a deal completed meanwhile says it is completed', async ({ assert }) => {
    const brand = await person('brand', 'Бренд')
    const deal = await dealIn('completed', brand, await person('creator', 'Автор'))
    const agent = await signedIn(brand)
    await agent.get(`/deals/${deal.id}`)

    const stale = await agent.submit(`/deals/${deal.id}/cancel`)

    assert.include(stale.text, 'Действие уже невозможно: сейчас «Завершена». Обновите страницу')
  })

  test('a stale form is refused with what was typed kept', async ({ assert }) => {
    const brand = await signedIn(await person('brand', 'Бренд'))
    await brand.get('/offers/new')
    const brief = 'Длинное задание, написанное за час. '.repeat(20).trim()

    const refused = await brand.submit('/offers', {
      _csrf: 'a-token-from-an-expired-session',
      title: 'Обзор самоката',
      brief,
    })

    assert.equal(refused.url, '/offers/new')
    assert.include(refused.text, 'Форма устарела')
    assert.include(refused.html, 'value="Обзор самоката"')
    assert.include(refused.html, brief)
    assert.equal(Number((await db.from('offers').count('* as total'))[0].total), 0)
  })

  test('a Referer that is not a valid URI sends the form home instead of a 500', async ({
    assert,
  }) => {
    const creator = await person('creator', 'Автор')
    const brokenReferers = ['/notifications%zz', '/offers%C0%80', `${baseUrl()}/deals/%E0%A4%A`]

    const guest = new WebAgent()
    await guest.get('/login')
    for (const referer of brokenReferers) {
      const missingToken = await guest.post('/login', { email: 'x' }, false, referer)
      assert.equal(missingToken.response.status, 302, `no CSRF token, ${referer}`)
      assert.equal(missingToken.response.headers.get('location'), '/')
      const invalid = await guest.post('/login', { email: 'not an e-mail' }, true, referer)
      assert.equal(invalid.response.status, 302, `invalid form, ${referer}`)
      assert.equal(invalid.response.headers.get('location'), '/')
    }

    const agent = await signedIn(creator)
    await agent.get('/notifications')
    for (const referer of brokenReferers) {
      const done = await agent.post('/notifications/read-all', {}, true, referer)
      assert.equal(done.response.status, 302, `done, ${referer}`)
      assert.equal(done.response.headers.get('location'), '/')
    }
    const page = await agent.get('/notifications')
    assert.equal(page.status, 200)
  })

  test('behind HTTP Basic auth (an Authorization header on every request) the pages work and sign-out too', async ({
    assert,
  }) => {
    const creator = await person('creator', 'Автор')
    const agent = new WebAgent()
    agent.extraHeaders = {
      authorization: `Basic ${Buffer.from('staff:secret').toString('base64')}`,
    }
    const home = await agent.signIn(creator)
    assertPage(assert, home, '/offers')
    assertPage(assert, await agent.get('/notifications'), '/notifications')
    const signedOut = await agent.submit('/logout')
    assertPage(assert, signedOut, '/login')
    const afterwards = await agent.get('/offers')
    assert.equal(afterwards.url, '/login', 'signed out for real')
  })

  test('invites: the brand invites by number, the creator accepts; declines and withdrawals', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    const brandAgent = await signedIn(brand)
    const creatorAgent = await signedIn(creator)

    const mine = await creatorAgent.get('/invites')
    assertPage(assert, mine, '/invites')
    assert.include(mine.text, `Ваш номер автора: ${creator.id}`)

    await brandAgent.get(`/offers/${offer.id}`)
    const unknown = await brandAgent.submit(`/offers/${offer.id}/invites`, { creatorId: '999999' })
    assertPage(assert, unknown, `/offers/${offer.id}`)
    assert.include(unknown.text, 'Автор не найден')
    const invited = await brandAgent.submit(`/offers/${offer.id}/invites`, {
      creatorId: String(creator.id),
      message: 'Будем рады',
    })
    assert.include(invited.text, 'Приглашение отправлено')
    const sent = await brandAgent.get('/invites')
    assertPage(assert, sent, '/invites')
    assert.include(sent.text, 'Ждёт ответа')

    const received = await creatorAgent.get('/invites')
    const inviteId = /\/invites\/(\d+)\/accept/.exec(received.html)![1]
    const accepted = await creatorAgent.submit(`/invites/${inviteId}/accept`)
    assert.match(accepted.url, /^\/deals\/\d+$/)
    assertPage(assert, accepted, accepted.url)
    assert.include(accepted.text, 'Приглашение принято, сделка создана')
    await creatorAgent.get('/invites')
    const stale = await creatorAgent.submit(`/invites/${inviteId}/decline`)
    assert.include(
      stale.text,
      'Действие уже невозможно: сейчас «Принято». Обновите страницу',
      'a stale button says what the record became'
    )

    const second = await publishedOffer(brand, { title: 'Второе предложение' })
    await brandAgent.get(`/offers/${second.id}`)
    await brandAgent.submit(`/offers/${second.id}/invites`, { creatorId: String(creator.id) })
    const withdrawnId = /\/invites\/(\d+)\/withdraw/.exec(
      (await brandAgent.get('/invites')).html
    )![1]
    const withdrawn = await brandAgent.submit(`/invites/${withdrawnId}/withdraw`)
    assertPage(assert, withdrawn, '/invites')
    assert.include(withdrawn.text, 'Отозвано')

    await brandAgent.get(`/offers/${second.id}`)
    await brandAgent.submit(`/offers/${second.id}/invites`, { creatorId: String(creator.id) })
    const declineId = /\/invites\/(\d+)\/decline/.exec(
      (await creatorAgent.get('/invites')).html
    )![1]
    const declined = await creatorAgent.submit(`/invites/${declineId}/decline`)
    assertPage(assert, declined, '/invites')
    assert.include(declined.text, 'Вы отказались от приглашения')
  })

  test('an invite whose time is up shows as expired, with no answer to give, before invites:expire runs', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const invite = await pendingInvite(await publishedOffer(brand), creator)
    await db
      .from('invites')
      .where('id', invite.id)
      .update({ expires_at: toDbTimestamp(DateTime.now().minus({ minutes: 1 })) })

    const received = await (await signedIn(creator)).get('/invites')
    assertPage(assert, received, '/invites')
    assert.include(received.text, 'Истекло')
    assert.notInclude(received.text, 'Ждёт ответа')
    assert.notInclude(received.html, `/invites/${invite.id}/accept`)
    assert.notInclude(received.html, `/invites/${invite.id}/decline`)
    const sent = await (await signedIn(brand)).get('/invites')
    assert.include(sent.html, `/invites/${invite.id}/withdraw`, 'the brand may still withdraw it')
  })

  test('on a closed offer nothing can be approved or accepted, and no page offers it', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    const application = await pendingApplication(offer, creator)
    const invite = await pendingInvite(offer, creator)
    const brandAgent = await signedIn(brand)
    const creatorAgent = await signedIn(creator)
    const open = await brandAgent.get(`/offers/${offer.id}`)
    assert.include(open.html, `/applications/${application.id}/approve`)
    assert.include((await creatorAgent.get('/invites')).html, `/invites/${invite.id}/accept`)

    await closeOffer(as(brand), offer)

    const closed = await brandAgent.get(`/offers/${offer.id}`)
    assertPage(assert, closed, `/offers/${offer.id}`)
    assert.notInclude(closed.html, `/applications/${application.id}/approve`)
    assert.include(closed.html, `/applications/${application.id}/reject`)
    assert.notInclude(
      (await brandAgent.get('/applications')).html,
      `/applications/${application.id}/approve`
    )
    const received = await creatorAgent.get('/invites')
    assert.notInclude(received.html, `/invites/${invite.id}/accept`)
    assert.include(received.html, `/invites/${invite.id}/decline`)
  })

  test('a creator who applies to an offer closed since they opened it lands on the offers list, told why', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    const creatorAgent = await signedIn(creator)
    assertPage(assert, await creatorAgent.get(`/offers/${offer.id}`), `/offers/${offer.id}`)

    await closeOffer(as(brand), offer)

    const refused = await creatorAgent.submit(`/offers/${offer.id}/applications`, {
      message: 'Готова снять',
    })
    assertPage(assert, refused, '/offers')
    assert.include(refused.text, 'Бренд закрыл это предложение: откликнуться на него уже нельзя')
    const applications = await db.from('applications').where('offer_id', offer.id)
    assert.lengthOf(applications, 0)

    const neverPublished = await draftOffer(brand)
    await closeOffer(as(brand), neverPublished)
    const hidden = await creatorAgent.submit(`/offers/${neverPublished.id}/applications`, {
      message: 'Готова снять',
    })
    assert.notInclude(hidden.text, 'Бренд закрыл', 'a draft closed unpublished is never named')
    assert.include(hidden.text, 'Не найдено')

    const invitedOffer = await publishedOffer(brand)
    await pendingInvite(invitedOffer, creator)
    assertPage(
      assert,
      await creatorAgent.get(`/offers/${invitedOffer.id}`),
      `/offers/${invitedOffer.id}`
    )
    await closeOffer(as(brand), invitedOffer)
    const onItsPage = await creatorAgent.submit(`/offers/${invitedOffer.id}/applications`, {
      message: 'Готова снять',
    })
    assertPage(assert, onItsPage, `/offers/${invitedOffer.id}`)
    assert.notInclude(onItsPage.text, 'Бренд закрыл', 'an offer they can still see says why itself')
    assert.include(onItsPage.text, 'Откликнуться можно только на опубликованное предложение')
  })

  test('the next page of a list keeps its filters and size; a search of spaces is no search', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    for (let i = 0; i < 12; i++) {
      await draftOffer(brand, { title: `Черновик ${i}` })
    }
    await publishedOffer(brand, { title: 'Опубликованное' })
    const agent = await signedIn(brand)

    const first = await agent.get('/offers?status=draft&perPage=5')
    assertPage(assert, first, '/offers')
    const next = /<a href="([^"]+)">Следующая/.exec(first.html)?.[1]?.replaceAll('&amp;', '&')
    assert.exists(next)
    const nextQuery = new URLSearchParams(next!.slice(1))
    assert.equal(nextQuery.get('status'), 'draft')
    assert.equal(nextQuery.get('perPage'), '5')
    assert.equal(nextQuery.get('page'), '2')
    const second = await agent.get(`/offers${next}`)
    assert.include(second.text, 'Страница 2 из 3')
    assert.notInclude(second.text, 'Опубликованное')

    const creator = await signedIn(await person('creator', 'Автор'))
    const blank = await creator.get('/offers?q=%20%20')
    assertPage(assert, blank, '/offers')
    assert.include(blank.text, 'Опубликованное')
  })

  test('a search at the end of its window says so instead of promising more pages', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    for (let i = 0; i < TEXT_SEARCH_WINDOW + 5; i++) {
      await publishedOffer(brand, { title: `Обзор самоката ${i}` })
    }
    const agent = await signedIn(await person('creator', 'Автор'))

    const last = await agent.get(`/offers?q=самокат&perPage=100&page=2`)
    assertPage(assert, last, '/offers')
    assert.include(last.text, 'Страница 2 из 2')
    assert.notInclude(last.text, 'Страница 2 из 2+')
    assert.notInclude(last.text, 'Следующая')
    assert.include(last.text, `Показаны первые ${TEXT_SEARCH_WINDOW} совпадений`)

    const beyond = await agent.get(`/offers?q=самокат&perPage=100&page=3`)
    assertPage(assert, beyond, '/offers')
    assert.include(beyond.text, `Показаны первые ${TEXT_SEARCH_WINDOW} совпадений`)
    assert.notInclude(beyond.text, 'Подходящих предложений нет')
  }).timeout(60_000)

  test('a creator pages through every payout request on the balance page', async ({ assert }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    await dealIn('completed', brand, creator)
    for (let i = 1; i <= 23; i++) {
      await requestPayout(as(creator), 10_000 + i * 10)
    }
    const agent = await signedIn(creator)
    const first = await agent.get('/balance')
    assertPage(assert, first, '/balance')
    assert.include(first.text, '102,30')
    assert.notInclude(first.text, '100,10', 'the oldest is on the next page')
    const next = /<a href="([^"]+)">Следующая/.exec(first.html)?.[1]?.replaceAll('&amp;', '&')
    assert.equal(next, '?payoutsPage=2')
    const second = await agent.get(`/balance${next}`)
    assertPage(assert, second, '/balance')
    for (const oldest of ['100,10', '100,20', '100,30']) {
      assert.include(second.text, oldest)
    }
  })

  test('applications: the brand rejects one, the creator withdraws another', async ({ assert }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const offer = await publishedOffer(brand)
    const application = await pendingApplication(offer, creator)
    const brandAgent = await signedIn(brand)
    await brandAgent.get(`/offers/${offer.id}`)
    const rejected = await brandAgent.submit(`/applications/${application.id}/reject`)
    assertPage(assert, rejected, `/offers/${offer.id}`)
    assert.include(rejected.text, 'Отклонён')

    const other = await publishedOffer(brand, { title: 'Другое' })
    await pendingApplication(other, creator)
    const creatorAgent = await signedIn(creator)
    const list = await creatorAgent.get('/applications')
    const withdrawId = /\/applications\/(\d+)\/withdraw/.exec(list.html)![1]
    const withdrawn = await creatorAgent.submit(`/applications/${withdrawId}/withdraw`)
    assertPage(assert, withdrawn, '/applications')
    assert.include(withdrawn.text, 'Отозван')
  })

  test("the brand pages through an offer's applications, the earliest included", async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const offer = await publishedOffer(brand)
    const creators = await insertUsers(101)
    await db.from('users').whereIn('id', creators).update({ display_name: 'Автор' })
    const now = dbNow()
    await db.table('applications').multiInsert(
      creators.map((creatorId) => ({
        offer_id: offer.id,
        creator_id: creatorId,
        brand_id: brand.id,
        status: 'pending',
        created_at: now,
        updated_at: now,
      }))
    )
    const earliest = await db.from('applications').orderBy('id', 'asc').firstOrFail()
    const brandAgent = await signedIn(brand)

    const first = await brandAgent.get(`/offers/${offer.id}`)
    assertPage(assert, first, `/offers/${offer.id}`)
    assert.include(first.text, 'Страница 1 из 6')
    const last = await brandAgent.get(`/offers/${offer.id}?page=6`)
    assertPage(assert, last, `/offers/${offer.id}`)
    assert.include(last.html, `/applications/${earliest.id}/approve`)
    const approved = await brandAgent.submit(`/applications/${earliest.id}/approve`)
    assert.match(approved.url, /^\/deals\/\d+$/)
  })

  test('deals: the brand asks for changes, the creator sees them; the brand cancels and closes', async ({
    assert,
  }) => {
    const brand = await person('brand', 'Бренд')
    const creator = await person('creator', 'Автор')
    const deal = await dealIn('submitted', brand, creator)
    const brandAgent = await signedIn(brand)
    await brandAgent.get(`/deals/${deal.id}`)
    const empty = await brandAgent.submit(`/deals/${deal.id}/request-changes`, { reason: '' })
    assert.include(empty.html, 'id="field-reason-error"')
    const changes = await brandAgent.submit(`/deals/${deal.id}/request-changes`, {
      reason: 'Добавьте крупный план',
    })
    assertPage(assert, changes, `/deals/${deal.id}`)
    assert.include(changes.text, 'Оплачена, в работе')

    const creatorAgent = await signedIn(creator)
    const seen = await creatorAgent.get(`/deals/${deal.id}`)
    assertPage(assert, seen, `/deals/${deal.id}`)
    assert.include(seen.text, 'Добавьте крупный план')

    const reviewed = await brandAgent.get(`/deals/${deal.id}`)
    assert.notInclude(reviewed.html, `/deals/${deal.id}/cancel`)
    const adminAgent = await signedIn(await person('admin', 'Администратор'))
    await adminAgent.get(`/deals/${deal.id}`)
    const refunded = await adminAgent.submit(`/deals/${deal.id}/cancel`)
    assertPage(assert, refunded, `/deals/${deal.id}`)
    assert.include(refunded.text, 'Возврат бренду')
    assert.equal((await Deal.findOrFail(deal.id)).status, 'refunded')

    const unfunded = await dealIn('awaiting_funding', brand, creator)
    await brandAgent.get(`/deals/${unfunded.id}`)
    const cancelled = await brandAgent.submit(`/deals/${unfunded.id}/cancel`)
    assertPage(assert, cancelled, `/deals/${unfunded.id}`)
    assert.include(cancelled.text, 'Сделка отменена')

    const offerPath = `/offers/${deal.offerId}`
    await brandAgent.get(offerPath)
    const closed = await brandAgent.submit(`${offerPath}/close`)
    assertPage(assert, closed, offerPath)
    assert.include(closed.text, 'Закрыто')
  })

  test('Telegram: a code and deep link once, then disconnect', async ({ assert }) => {
    const creator = await person('creator', 'Автор')
    const agent = await signedIn(creator)
    const page = await agent.get('/telegram')
    assertPage(assert, page, '/telegram')
    assert.include(page.text, 'Не подключён')

    const connected = await agent.submit('/telegram')
    assertPage(assert, connected, '/telegram')
    assert.include(connected.text, 'Ждёт подтверждения')
    assert.match(connected.html, /value="\/start [A-Za-z0-9_-]{32}"/)
    assert.include(connected.html, 'href="https://t.me/collab_test_bot?start=')
    const sessions = await db.from('sessions').select('data')
    const code = /start ([A-Za-z0-9_-]{32})/.exec(connected.html)![1]
    assert.notInclude(JSON.stringify(sessions), code)

    const again = await agent.get('/telegram')
    assert.notInclude(again.html, code)
    const disconnected = await agent.submit('/telegram/disconnect')
    assertPage(assert, disconnected, '/telegram')
    assert.include(disconnected.text, 'Телеграм отключён')
  })

  test('admin: dead outbox events are retried; users are blocked and unblocked', async ({
    assert,
  }) => {
    const admin = await person('admin', 'Администратор')
    const brand = await person('brand', 'Бренд')
    await publishedOffer(brand)
    await db.from('outbox_events').update({ status: 'dead', attempts: 8, last_error: 'boom' })
    const agent = await signedIn(admin)

    const dead = await agent.get('/admin/outbox')
    assertPage(assert, dead, '/admin/outbox')
    assert.include(dead.text, 'Предложение опубликовано')
    const eventId = /\/admin\/outbox\/(\d+)\/retry/.exec(dead.html)![1]
    const retried = await agent.submit(`/admin/outbox/${eventId}/retry`)
    assertPage(assert, retried, '/admin/outbox')
    assert.include(retried.text, 'Сбоев нет')
    const event = await db.from('outbox_events').where('id', eventId).first()
    assert.equal(event.status, 'pending')

    const brandAgent = await signedIn(brand)
    const users = await agent.get('/admin/users')
    assertPage(assert, users, '/admin/users')
    assertPage(assert, await agent.get('/admin/users?role=brand'), '/admin/users')
    const everyRole = await agent.get('/admin/users?role=')
    assertPage(assert, everyRole, '/admin/users')
    assert.include(everyRole.text, `Бренд · Бренд · № ${brand.id}`)
    assert.include(everyRole.text, 'Администратор · Администратор')
    const blocked = await agent.submit(`/admin/users/${brand.id}/block`)
    assertPage(assert, blocked, '/admin/users')
    assert.include(blocked.text, 'Заблокирован')

    const refused = await brandAgent.get('/offers')
    assertPage(assert, refused, '/offers', 403)
    assert.include(refused.text, 'Учётная запись заблокирована')
    const again = await agent.submit(`/admin/users/${brand.id}/block`)
    assert.include(again.text, 'Пользователь уже заблокирован')
    const adminBlock = await agent.submit(`/admin/users/${admin.id}/block`)
    assert.include(adminBlock.text, 'Администратора заблокировать нельзя')
    for (const id of ['999999', '2147483648', '99999999999999999999']) {
      await agent.get('/admin/users')
      for (const action of ['block', 'unblock']) {
        const missing = await agent.submit(`/admin/users/${id}/${action}`)
        assertPage(assert, missing, '/admin/users')
        assert.include(missing.text, 'Не найдено', `${action} ${id}`)
      }
    }

    await agent.submit(`/admin/users/${brand.id}/unblock`)
    assertPage(assert, await brandAgent.get('/offers'), '/offers')

    const creator = await person('creator', 'Автор')
    const creatorAgent = await signedIn(creator)
    assertPage(assert, await creatorAgent.get('/admin/users'), '/admin/users', 403)
    assertPage(assert, await creatorAgent.get('/admin/outbox'), '/admin/outbox', 403)
  })

  test('a user blocked while signed in sees why, and can still sign out', async ({ assert }) => {
    const creator = await person('creator', 'Автор')
    const agent = await signedIn(creator)
    await db.from('users').where('id', creator.id).update({ blocked_at: dbNow() })

    const blocked = await agent.get('/offers')
    assert.equal(blocked.status, 403)
    assert.include(blocked.text, 'Учётная запись заблокирована')
    assert.include(blocked.html, 'action="/logout"')

    const signedOut = await agent.submit('/logout')
    assertPage(assert, signedOut, '/login')
    const again = await agent.get('/offers')
    assertPage(assert, again, '/login')
  })
})
