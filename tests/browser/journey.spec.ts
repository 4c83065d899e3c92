import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import { chromium, type Browser, type Page } from 'playwright-core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { createUser } from '#services/users/create_user'
import { consumeOutboxBatch } from '#services/outbox/consume_outbox_batch'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, resetRateLimits } from '#tests/support/auth'
import { baseUrl } from '#tests/support/http'

/**
 * Debian's package, installed by .ci/run; a browser is never downloaded.
 * CHROMIUM_PATH names another system browser binary (a CI image's own).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const WIDTHS = [360, 1280]
const SCREENSHOTS = app.makePath('tmp/screenshots')
const AXE_SOURCE = () => readFileSync(app.makePath('node_modules/axe-core/axe.min.js'), 'utf8')

type AxeViolation = { id: string; impact: string | null; help: string; nodes: unknown[] }

async function drainOutbox() {
  for (;;) {
    const { seen } = await consumeOutboxBatch()
    if (seen === 0) return
  }
}

/**
 * Checks a page the way the issue asks: no horizontal overflow at 360 px
 * or 1280 px (with a screenshot of each), and no serious or critical axe
 * violation.
 */
async function inspect(assert: Assert, page: Page, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    const { scrollWidth, innerWidth } = await page.evaluate<{
      scrollWidth: number
      innerWidth: number
    }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')
    assert.isAtMost(scrollWidth, innerWidth, `${name} overflows horizontally at ${width} px`)
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true })
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 900 })
  await page.addScriptTag({ content: AXE_SOURCE() })
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as any).axe.run()
    return result.violations as AxeViolation[]
  })
  const blocking = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`)
  assert.deepEqual(blocking, [], `${name}: axe violations`)
}

async function register(browser: Browser, role: 'brand' | 'creator', name: string, email: string) {
  const context = await browser.newContext({
    bypassCSP: true,
    locale: 'ru-RU',
    viewport: { width: 360, height: 900 },
  })
  const page = await context.newPage()
  page.on('dialog', (dialog) => dialog.accept())
  await page.goto(`${baseUrl()}/register`)
  await page
    .getByLabel(role === 'brand' ? 'Бренд: размещаю предложения' : 'Автор: ищу предложения')
    .check()
  await page.getByLabel('Имя или название').fill(name)
  await page.getByLabel('Электронная почта').fill(email)
  await page.getByLabel('Пароль').fill(DEFAULT_PASSWORD)
  await page.getByRole('button', { name: 'Зарегистрироваться' }).click()
  await page.waitForURL('**/offers')
  return page
}

test.group('browser: the marketplace journey in Chromium', (group) => {
  let browser: Browser

  group.setup(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`
      )
    }
    mkdirSync(SCREENSHOTS, { recursive: true })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    })
    return () => browser.close()
  })

  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('brand, creator and admin take a deal from offer to paid payout', async ({ assert }) => {
    const stamp = Date.now()
    const adminUser = await createUser({
      email: `admin-${stamp}@example.test`,
      password: DEFAULT_PASSWORD,
      role: 'admin',
      displayName: 'Администратор',
    })

    const login = await browser.newPage({ bypassCSP: true, locale: 'ru-RU' })
    await login.goto(`${baseUrl()}/login`)
    await inspect(assert, login, 'login')
    await login.keyboard.press('Tab')
    const focused = await login.evaluate<string>('document.activeElement.textContent.trim()')
    assert.equal(focused, 'Перейти к содержимому')
    await login.close()

    const brand = await register(browser, 'brand', 'Бренд Рюкзаков', `brand-${stamp}@example.test`)
    await inspect(assert, brand, 'brand-offers-empty')
    await brand.getByRole('link', { name: 'Новое предложение' }).click()
    await inspect(assert, brand, 'offer-form')
    await brand.getByLabel('Название').fill('Обзор рюкзака')
    await brand.getByLabel('Описание задачи').fill('Снять короткое видео о рюкзаке для путешествий')
    await brand.getByLabel('Бюджет, ₽').fill('5000')
    await brand.getByRole('button', { name: 'Создать черновик' }).click()
    await brand.getByRole('button', { name: 'Опубликовать' }).click()
    await brand.getByText('Предложение опубликовано').waitFor()
    const offerUrl = brand.url()
    await inspect(assert, brand, 'offer-brand')

    const creator = await register(
      browser,
      'creator',
      'Анна Автор',
      `creator-${stamp}@example.test`
    )
    await inspect(assert, creator, 'offer-feed')
    await creator.getByRole('link', { name: 'Обзор рюкзака' }).click()
    await creator.getByLabel('Сообщение бренду').fill('Сниму за неделю')
    await inspect(assert, creator, 'offer-creator')
    await creator.getByRole('button', { name: 'Откликнуться' }).click()
    await creator.getByText('Отклик отправлен').waitFor()

    await brand.goto(offerUrl)
    await brand.getByRole('button', { name: 'Одобрить' }).click()
    await brand.getByText('Отклик одобрен, сделка создана').waitFor()
    await inspect(assert, brand, 'deal-awaiting-funding')
    await brand.getByRole('button', { name: 'Оплатить' }).click()
    await brand.getByText('Сделка оплачена, деньги в резерве').waitFor()
    const dealUrl = brand.url()

    await creator.getByRole('link', { name: 'Сделки' }).click()
    await inspect(assert, creator, 'deals-creator')
    await creator.getByRole('link', { name: 'Обзор рюкзака' }).click()
    await creator.getByLabel('Ссылка на работу').fill('https://video.example/backpack')
    await inspect(assert, creator, 'deal-submit')
    await creator.getByRole('button', { name: 'Сдать работу' }).click()
    await creator.getByText('Работа отправлена бренду').waitFor()

    await brand.goto(dealUrl)
    await inspect(assert, brand, 'deal-review')
    await brand.getByRole('button', { name: 'Принять работу' }).click()
    await brand.getByText('Работа принята, деньги переведены автору').waitFor()

    await creator.getByRole('link', { name: 'Баланс' }).click()
    await creator.getByLabel('Сумма, ₽').fill('1000')
    // A double click: the second lands while the first request is on its way.
    await creator
      .getByRole('button', { name: 'Запросить выплату' })
      .evaluate((button: { click(): void }) => {
        button.click()
        setTimeout(() => button.click(), 5)
      })
    await creator.getByText('Запрос на выплату отправлен').waitFor()
    const payouts = await db.from('payout_requests').count('* as total').first()
    assert.equal(Number(payouts.total), 1, 'a double click sends the form once')
    await inspect(assert, creator, 'balance')

    const admin = await browser.newPage({
      bypassCSP: true,
      locale: 'ru-RU',
      viewport: { width: 360, height: 900 },
    })
    admin.on('dialog', (dialog) => dialog.accept())
    await admin.goto(`${baseUrl()}/login`)
    await admin.getByLabel('Электронная почта').fill(adminUser.email)
    await admin.getByLabel('Пароль').fill(DEFAULT_PASSWORD)
    await admin.getByRole('button', { name: 'Войти' }).click()
    await admin.waitForURL('**/admin/payouts')
    await inspect(assert, admin, 'admin-payouts')
    await admin.getByRole('button', { name: 'Одобрить' }).click()
    await admin.getByText('Выплата одобрена').waitFor()
    await admin.getByRole('button', { name: 'Отметить выплаченной' }).click()
    await admin.getByText('Выплата отмечена как выплаченная').waitFor()

    await drainOutbox()
    await creator.getByRole('link', { name: /Уведомления/ }).click()
    await creator.getByText('Выплата на 1 000 ₽ перечислена').waitFor()
    await inspect(assert, creator, 'notifications-creator')
    await brand.getByRole('link', { name: /Уведомления/ }).click()
    await brand.getByText('Новый отклик на «Обзор рюкзака»').waitFor()
    await inspect(assert, brand, 'notifications-brand')
    await brand.getByRole('button', { name: 'Отметить все прочитанными' }).click()
    await brand.getByText('Все уведомления прочитаны').waitFor()
  })

  test('the other pages pass the same checks, and errors stand next to their fields', async ({
    assert,
  }) => {
    const stamp = Date.now()
    const adminUser = await createUser({
      email: `admin-${stamp}@example.test`,
      password: DEFAULT_PASSWORD,
      role: 'admin',
      displayName: 'Администратор',
    })
    const brand = await register(browser, 'brand', 'Бренд', `brand-${stamp}@example.test`)
    await brand.getByRole('link', { name: 'Новое предложение' }).click()
    await brand.getByLabel('Бюджет, ₽').fill('много')
    await brand.getByRole('button', { name: 'Создать черновик' }).click()
    await brand.getByText('Введите сумму в рублях').waitFor()
    assert.equal(await brand.getByLabel('Бюджет, ₽').getAttribute('aria-invalid'), 'true')
    await inspect(assert, brand, 'offer-form-errors')
    await brand.goto(`${baseUrl()}/invites`)
    await inspect(assert, brand, 'invites-brand')

    const creator = await register(browser, 'creator', 'Автор', `creator-${stamp}@example.test`)
    await creator.getByRole('link', { name: 'Приглашения' }).click()
    await inspect(assert, creator, 'invites-creator')
    await creator.getByRole('link', { name: 'Телеграм' }).click()
    await creator.getByRole('button', { name: 'Получить код подключения' }).click()
    await creator.getByLabel('Команда для бота').waitFor()
    await inspect(assert, creator, 'telegram')

    const admin = await browser.newPage({
      bypassCSP: true,
      locale: 'ru-RU',
      viewport: { width: 360, height: 900 },
    })
    await admin.goto(`${baseUrl()}/login`)
    await admin.getByLabel('Электронная почта').fill(adminUser.email)
    await admin.getByLabel('Пароль').fill(DEFAULT_PASSWORD)
    await admin.getByRole('button', { name: 'Войти' }).click()
    await admin.waitForURL('**/admin/payouts')
    await admin.getByRole('link', { name: 'Сбои доставки' }).click()
    await inspect(assert, admin, 'admin-outbox')
    await admin.getByRole('link', { name: 'Пользователи' }).click()
    await inspect(assert, admin, 'admin-users')
  })
})
