import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/**
 * Sessions live in the database so that a session whose row is gone (after
 * logout, expiry or db:reset) is recognised as stale instead of silently
 * pointing at whichever user now holds the same id.
 */
export const sessionCookieName = 'collab_session'

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: sessionCookieName,
  clearWithBrowser: false,
  age: '2h',
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
  store: 'database',
  stores: {
    database: stores.database({ tableName: 'sessions' }),
  },
})

export default sessionConfig
