import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { appUrl } from '#config/app'
import { truncateAll } from '#tests/support/database'
import { DEFAULT_PASSWORD, makeUser, resetRateLimits } from '#tests/support/auth'
import { baseUrl } from '#tests/support/http'
import { draftOffer } from '#tests/support/marketplace'
import Offer from '#models/offer'

const FOREIGN_ORIGIN = 'https://another-site.example'

async function count(table: string) {
  const row = await db.from(table).count('* as total').first()
  return Number(row.total)
}

/** What a form on another site makes the browser send: no JSON, an Origin. */
function formPost(path: string, body: string, origin: string, cookie?: string) {
  return fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'origin': origin,
      ...(cookie ? { cookie } : {}),
    },
    body,
    redirect: 'manual',
  })
}

async function sessionCookieOf(email: string) {
  const login = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEFAULT_PASSWORD }),
  })
  const cookie = login.headers.getSetCookie().find((line) => line.startsWith('collab_session='))
  return cookie!.split(';')[0]
}

test.group('contract: writes from another site', (group) => {
  group.each.setup(async () => {
    await truncateAll()
    await resetRateLimits()
  })

  test('a form on another site cannot sign the browser in or register: 403, no session cookie', async ({
    assert,
  }) => {
    const user = await makeUser('creator')
    const users = await count('users')
    const answers = [
      await formPost(
        '/api/auth/login',
        `email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(DEFAULT_PASSWORD)}`,
        FOREIGN_ORIGIN
      ),
      await formPost(
        '/api/auth/register',
        `email=new%40example.test&password=${encodeURIComponent(DEFAULT_PASSWORD)}&role=creator&displayName=Новый`,
        'null'
      ),
    ]
    for (const answer of answers) {
      const body = (await answer.json()) as { error: { code: string; message: string } }
      assert.equal(answer.status, 403)
      assert.equal(body.error.code, 'FORBIDDEN')
      assert.equal(body.error.message, 'Запрос с другого сайта отклонён')
      assert.deepEqual(answer.headers.getSetCookie(), [])
    }
    assert.equal(await count('users'), users)
  })

  test('a signed-in browser sent a form by another site changes nothing', async ({ assert }) => {
    const brand = await makeUser('brand')
    const offer = await draftOffer(brand)
    const cookie = await sessionCookieOf(brand.email)

    for (const origin of [FOREIGN_ORIGIN, '', 'null']) {
      const refused = await formPost(`/api/offers/${offer.id}/publish`, '', origin, cookie)
      assert.equal(refused.status, 403, `Origin: ${origin}`)
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'FORBIDDEN')
    }
    assert.equal((await Offer.findOrFail(offer.id)).status, 'draft')

    const read = await fetch(`${baseUrl()}/api/offers/${offer.id}`, {
      headers: { cookie, origin: FOREIGN_ORIGIN },
    })
    assert.equal(read.status, 200, 'reads are not refused: the browser keeps them from the page')
  })

  test('the server’s own origin, and the public APP_URL behind a proxy, may write', async ({
    assert,
  }) => {
    const brand = await makeUser('brand')
    const offer = await draftOffer(brand)
    const cookie = await sessionCookieOf(brand.email)
    const ownOrigin = new URL(baseUrl()).origin
    const published = await formPost(`/api/offers/${offer.id}/publish`, '', ownOrigin, cookie)
    assert.equal(published.status, 200)
    const publicOrigin = new URL(appUrl).origin
    const closed = await formPost(`/api/offers/${offer.id}/close`, '', publicOrigin, cookie)
    assert.equal(closed.status, 200)
    assert.equal((await Offer.findOrFail(offer.id)).status, 'closed')
  })
})
