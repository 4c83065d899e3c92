import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { Assert } from '@japa/assert'
import User from '#models/user'
import { createUser } from '#services/users/create_user'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, resetRateLimits } from '#tests/support/auth'
import { WebAgent, untranslatedWords, type Page } from '#tests/support/web_agent'

let sequence = 0

async function person(role: User['role'], displayName: string) {
  sequence += 1
  return createUser({
    email: `web${sequence}-${Date.now()}@example.test`,
    password: DEFAULT_PASSWORD,
    role,
    displayName,
  })
}

async function drainOutbox() {
  for (;;) {
    const { seen } = await consumeOutboxBatch()
    if (seen === 0) return
  }
}

/**
 * Every rendered page is Russian: no raw status, no role code, no English
 * word a person would read.
 */
function assertRussian(assert: Assert, page: Page) {
  assert.deepEqual(untranslatedWords(page.text), [], `${page.url}: ${page.text.slice(0, 400)}`)
}

function assertPage(assert: Assert, page: Page, path: string, status = 200) {
  assert.equal(page.url.split('?')[0], path)
  assert.equal(page.status, status, page.text.slice(0, 300))
  assertRussian(assert, page)
}

test.group('web pages', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('sign up, sign out and sign in, with Russian errors next to the fields', async ({
    assert,
  }) => {
    const agent = new WebAgent()
    assertPage(assert, await agent.get('/register'), '/register')

    const invalid = await agent.submit('/register', {
      role: 'brand',
      displayName: '',
      email: 'not-an-email',
      password: 'short',
    })
    assertPage(assert, invalid, '/register')
    assert.include(invalid.html, 'id="field-email-error"')
    assert.include(invalid.html, 'id="field-password-error"')
    assert.include(invalid.html, 'id="field-displayName-error"')
    assert.include(invalid.text, 'Не короче 8 символов')
    assert.include(invalid.html, 'value="not-an-email"')
    assert.equal(
      await User.query()
        .count('* as total')
        .first()
        .then((r) => Number(r!.$extras.total)),
      0
    )

    const email = `brand-${Date.now()}@example.test`
    const registered = await agent.submit('/register', {
      role: 'brand',
      displayName: 'Бренд Рюкзаков',
      email,
      password: DEFAULT_PASSWORD,
    })
    assertPage(assert, registered, '/offers')
    assert.include(registered.text, 'Добро пожаловать')
    assert.include(registered.text, 'Бренд Рюкзаков')

    const signedOut = await agent.submit('/logout')
    assertPage(assert, signedOut, '/login')
    assert.include(signedOut.text, 'Вы вышли из системы')

    const wrong = await agent.submit('/login', { email, password: 'wrong password' })
    assertPage(assert, wrong, '/login')
    assert.include(wrong.text, 'Неверная почта или пароль')

    const signedIn = await agent.submit('/login', { email, password: DEFAULT_PASSWORD })
    assertPage(assert, signedIn, '/offers')
  })

  test('a form without the CSRF token is refused and changes nothing', async ({ assert }) => {
    const brand = await person('brand', 'Бренд')
    const agent = new WebAgent()
    await agent.signIn(brand)
    const response = await agent.post(
      '/offers',
      { title: 'Без токена', brief: 'Текст', budget: '100' },
      false
    )
    assert.equal(response.response.status, 302)
    const offers = await db.from('offers').count('* as total')
    assert.equal(Number(offers[0].total), 0)
    const page = await agent.get('/offers/new')
    assertRussian(assert, page)
  })

  test('pages need a session; wrong roles and unknown pages get Russian error pages', async ({
    assert,
  }) => {
    const anonymous = new WebAgent()
    const redirected = await anonymous.get('/deals')
    assertPage(assert, redirected, '/login')
    assert.include(redirected.text, 'Войдите, чтобы продолжить')

    const creator = await person('creator', 'Автор')
    const agent = new WebAgent()
    await agent.signIn(creator)
    assertPage(assert, await agent.get('/admin/payouts'), '/admin/payouts', 403)
    assertPage(assert, await agent.get('/offers/new'), '/offers/new', 403)
    assertPage(assert, await agent.get('/deals/999999'), '/deals/999999', 404)
    assertPage(assert, await agent.get('/no-such-page'), '/no-such-page', 404)
    const badQuery = await agent.get('/deals?status=nonsense')
    assertPage(assert, badQuery, '/deals', 400)
    assert.include(badQuery.text, 'Проверьте введённые данные')
  })

  test('the whole journey renders in Russian for every role', async ({ assert }) => {
    const brand = await person('brand', 'Бренд Рюкзаков')
    const creator = await person('creator', 'Анна Автор')
    const admin = await person('admin', 'Администратор')
    const brandAgent = new WebAgent()
    const creatorAgent = new WebAgent()
    const adminAgent = new WebAgent()
    await brandAgent.signIn(brand)
    await creatorAgent.signIn(creator)
    await adminAgent.signIn(admin)

    assertPage(assert, await brandAgent.get('/offers'), '/offers')
    assertPage(assert, await brandAgent.get('/offers?status=draft'), '/offers')
    assertPage(assert, await brandAgent.get('/offers/new'), '/offers/new')
    const badBudget = await brandAgent.submit('/offers', {
      title: 'Обзор',
      brief: 'Текст',
      budget: 'много',
    })
    assertPage(assert, badBudget, '/offers/new')
    assert.include(badBudget.html, 'id="field-budget-error"')
    const hugeBudget = await brandAgent.submit('/offers', {
      title: 'Обзор',
      brief: 'Текст',
      budget: '2000000000',
    })
    assert.match(hugeBudget.text, /Не больше 1\s000\s000\s000\s₽/, 'the limit reads as money')

    const draft = await brandAgent.submit('/offers', {
      title: 'Обзор рюкзака',
      brief: 'Снять видео о рюкзаке',
      budget: '5000',
      deadline: '',
    })
    assert.match(draft.url, /^\/offers\/\d+$/)
    assertRussian(assert, draft)
    assert.include(draft.text, 'Черновик')
    assert.include(draft.text, '5 000 ₽')
    const offerPath = draft.url

    assertPage(assert, await brandAgent.get(`${offerPath}/edit`), `${offerPath}/edit`)
    const cleared = await brandAgent.submit(offerPath, {
      title: 'Обзор рюкзака',
      brief: '',
      budget: '5000',
    })
    assertPage(assert, cleared, `${offerPath}/edit`)
    assert.include(cleared.html, 'id="field-brief-error"')
    assert.match(
      cleared.html,
      /<textarea id="field-brief"[^>]*><\/textarea>/,
      'the field the brand cleared stays empty beside its error'
    )
    const edited = await brandAgent.submit(offerPath, {
      title: 'Обзор рюкзака',
      brief: 'Снять видео о рюкзаке',
      budget: '5000,50',
      deadline: '',
    })
    assert.include(edited.text, '5 000,50 ₽')

    const published = await brandAgent.submit(`${offerPath}/publish`)
    assertPage(assert, published, offerPath)
    assert.include(published.text, 'Опубликовано')
    const staleEdit = await brandAgent.get(`${offerPath}/edit`)
    assertPage(assert, staleEdit, offerPath)
    assert.include(staleEdit.text, 'Изменять можно только черновик')
    const onlyDrafts = await brandAgent.get('/offers?status=draft')
    assert.notInclude(onlyDrafts.text, 'Обзор рюкзака')
    const allStatuses = await brandAgent.get('/offers?status=&page=1')
    assertPage(assert, allStatuses, '/offers')
    assert.include(allStatuses.text, 'Обзор рюкзака', "the filter form's «Все» is no filter")
    assertPage(assert, await brandAgent.get('/offers?status=bogus'), '/offers', 400)

    const feed = await creatorAgent.get('/offers?q=рюкзак')
    assert.include(feed.html, 'maxlength="100"', 'the search box stops where the search does')
    assertPage(assert, feed, '/offers')
    assert.include(feed.text, 'Обзор рюкзака')
    const emptySearch = await creatorAgent.get('/offers?q=')
    assertPage(assert, emptySearch, '/offers')
    assert.include(emptySearch.text, 'Обзор рюкзака', 'an empty search box lists every offer')
    assertPage(assert, await creatorAgent.get(offerPath), offerPath)
    const applied = await creatorAgent.submit(`${offerPath}/applications`, {
      message: 'Готова снять',
    })
    assertPage(assert, applied, offerPath)
    assert.include(applied.text, 'На рассмотрении')
    assertPage(assert, await creatorAgent.get('/applications'), '/applications')

    const withApplication = await brandAgent.get(offerPath)
    assertRussian(assert, withApplication)
    assert.include(withApplication.text, 'Анна Автор')
    const applicationId = /\/applications\/(\d+)\/approve/.exec(withApplication.html)![1]
    const deal = await brandAgent.submit(`/applications/${applicationId}/approve`)
    assert.match(deal.url, /^\/deals\/\d+$/)
    assertRussian(assert, deal)
    assert.include(deal.text, 'Ждёт оплаты')
    const dealPath = deal.url

    const funded = await brandAgent.submit(`${dealPath}/fund`)
    assertPage(assert, funded, dealPath)
    assert.include(funded.text, 'Оплачена, в работе')

    assertPage(assert, await creatorAgent.get('/deals'), '/deals')
    assertPage(assert, await creatorAgent.get(dealPath), dealPath)
    const badUrl = await creatorAgent.submit(`${dealPath}/submit`, { url: 'видео', note: '' })
    assert.include(badUrl.html, 'id="field-url-error"')
    assertRussian(assert, badUrl)
    const submitted = await creatorAgent.submit(`${dealPath}/submit`, {
      url: 'https://video.example/review',
      note: 'Готово',
    })
    assertPage(assert, submitted, dealPath)
    assert.include(submitted.text, 'Работа на проверке')

    const stale = await creatorAgent.submit(`${dealPath}/submit`, {
      url: 'https://video.example/2',
    })
    assertPage(assert, stale, dealPath)
    assert.include(stale.html, 'flash--error')

    const approved = await brandAgent.submit(`${dealPath}/approve`)
    assertPage(assert, approved, dealPath)
    assert.include(approved.text, 'Завершена')
    const brandDeals = await brandAgent.get('/deals')
    assertPage(assert, brandDeals, '/deals')
    assert.include(brandDeals.html, 'href="/balance"', 'a brand reaches its escrow balance')
    assertPage(assert, await brandAgent.get('/balance'), '/balance')
    const everyDeal = await adminAgent.get('/deals')
    assertPage(assert, everyDeal, '/deals')
    assert.include(everyDeal.html, `href="${dealPath}"`, 'an admin reaches a deal to refund it')

    const balance = await creatorAgent.get('/balance')
    assertPage(assert, balance, '/balance')
    assert.include(balance.text, '4 500,45 ₽')
    const tooSmall = await creatorAgent.submit('/payouts', { amount: '1' })
    assert.include(tooSmall.html, 'id="field-amount-error"')
    assertRussian(assert, tooSmall)
    const requested = await creatorAgent.submit('/payouts', { amount: '1000' })
    assertPage(assert, requested, '/balance')
    assert.include(requested.text, 'Запрошена')
    assert.include(requested.text, 'Запрошено к выводу 1 000 ₽')
    assert.include(
      requested.text,
      'Можно вывести 3 500,45 ₽',
      'what is asked for is not offered again'
    )
    const beyond = await creatorAgent.submit('/payouts', { amount: '4000' })
    assert.include(beyond.text, 'Недостаточно средств: можно вывести 3 500,45 ₽')

    const queue = await adminAgent.get('/admin/payouts')
    assertPage(assert, queue, '/admin/payouts')
    const payoutId = /\/admin\/payouts\/(\d+)\/approve/.exec(queue.html)![1]
    assertRussian(assert, await adminAgent.submit(`/admin/payouts/${payoutId}/approve`))
    const paid = await adminAgent.submit(`/admin/payouts/${payoutId}/mark-paid`)
    assertPage(assert, paid, '/admin/payouts')
    assert.include(paid.text, 'Выплачена')
    assertPage(assert, await adminAgent.get('/admin/payouts?status=paid'), '/admin/payouts')
    assertPage(assert, await adminAgent.get('/admin/payouts?status='), '/admin/payouts')

    await drainOutbox()
    const creatorInbox = await creatorAgent.get('/notifications')
    assertPage(assert, creatorInbox, '/notifications')
    assert.include(creatorInbox.text, 'Выплата на 1 000 ₽ перечислена')
    assert.include(creatorInbox.text, 'Ваш отклик на «Обзор рюкзака» одобрен')
    const brandInbox = await brandAgent.get('/notifications')
    assertPage(assert, brandInbox, '/notifications')
    assert.include(brandInbox.text, 'Новый отклик на «Обзор рюкзака»')

    const notificationId = /\/notifications\/(\d+)\/read/.exec(brandInbox.html)![1]
    const marked = await brandAgent.submit(`/notifications/${notificationId}/read`)
    assertPage(assert, marked, '/notifications')
    assert.include(marked.text, 'Прочитанные')
    const allRead = await creatorAgent.submit('/notifications/read-all')
    assertPage(assert, allRead, '/notifications')
    assert.notInclude(allRead.html, 'class="unread"')
  })
})
