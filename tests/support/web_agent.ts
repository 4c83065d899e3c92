import { baseUrl } from '#tests/support/http'
import { DEFAULT_PASSWORD } from '#tests/support/auth'
import { OFFER_STATUSES } from '#models/offer'
import { APPLICATION_STATUSES } from '#models/application'
import { INVITE_STATUSES } from '#models/invite'
import { DEAL_STATUSES } from '#models/deal'
import { PAYOUT_STATUSES } from '#models/payout_request'
import { OUTBOX_STATUSES } from '#models/outbox_event'
import { USER_ROLES } from '#models/user'
import type User from '#models/user'

export type Page = { status: number; url: string; html: string; text: string; headers: Headers }

/**
 * A browser without a browser: keeps cookies, sends the form's CSRF token
 * and the Referer, and follows redirects, so web pages are tested over real
 * HTTP exactly as a person's browser would use them.
 */
export class WebAgent {
  #cookies = new Map<string, string>()
  /** Headers sent with every request, as a proxy in front of the app might add. */
  extraHeaders: Record<string, string> = {}
  #csrf: string | null = null
  #lastUrl = '/'

  async get(path: string): Promise<Page> {
    return this.#follow(await this.#request('GET', path))
  }

  /**
   * Posts a form (the CSRF token of the last page is added) and follows
   * the redirect to the page that shows the outcome.
   */
  async submit(path: string, fields: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams({ _csrf: this.#csrf ?? '', ...fields })
    return this.#follow(await this.#request('POST', path, body))
  }

  /**
   * Posts without following, for checks on the raw answer; `referer`
   * replaces the one a browser would send.
   */
  async post(path: string, fields: Record<string, string> = {}, withCsrf = true, referer?: string) {
    const body = new URLSearchParams(withCsrf ? { _csrf: this.#csrf ?? '', ...fields } : fields)
    return this.#request('POST', path, body, referer)
  }

  async signIn(user: User, password = DEFAULT_PASSWORD) {
    await this.get('/login')
    return this.submit('/login', { email: user.email, password })
  }

  async #request(method: string, path: string, body?: URLSearchParams, referer?: string) {
    const headers: Record<string, string> = {
      accept: 'text/html',
      referer: referer ?? new URL(this.#lastUrl, baseUrl()).href,
      cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...this.extraHeaders,
    }
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers,
      body: body?.toString(),
      redirect: 'manual',
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const separator = pair.indexOf('=')
      const name = pair.slice(0, separator)
      const value = pair.slice(separator + 1)
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') {
        this.#cookies.delete(name)
      } else {
        this.#cookies.set(name, value)
      }
    }
    return { response, path }
  }

  async #follow(first: { response: Response; path: string }): Promise<Page> {
    let { response, path } = first
    for (let hops = 0; response.status >= 300 && response.status < 400; hops++) {
      if (hops > 5) {
        throw new Error(`too many redirects from ${path}`)
      }
      const location = new URL(response.headers.get('location')!, baseUrl())
      ;({ response, path } = await this.#request('GET', `${location.pathname}${location.search}`))
    }
    const html = await response.text()
    this.#lastUrl = path
    this.#csrf = /name='_csrf' value='([^']+)'/.exec(html)?.[1] ?? this.#csrf
    return {
      status: response.status,
      url: path,
      html,
      text: visibleText(html),
      headers: response.headers,
    }
  }
}

/**
 * What a person reads on the page: no tags, attributes, scripts or styles.
 * `<code>` holds technical detail shown verbatim (a worker's last error),
 * which is not UI text.
 */
export function visibleText(html: string) {
  return html
    .replace(/<(script|style|code)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const RAW_VALUES = [
  ...OFFER_STATUSES,
  ...APPLICATION_STATUSES,
  ...INVITE_STATUSES,
  ...DEAL_STATUSES,
  ...PAYOUT_STATUSES,
  ...OUTBOX_STATUSES,
  ...USER_ROLES,
]

/**
 * Latin words a Russian page may show: the scheme a link must start with.
 */
export const ENGLISH_ALLOW_LIST = new Set<string>(['https'])

/**
 * Everything on the page that is not Russian UI text: a raw status or
 * role, or any Latin word outside the allow-list.
 */
export function untranslatedWords(text: string, allow: Iterable<string> = []) {
  const allowed = new Set([...ENGLISH_ALLOW_LIST, ...allow].map((word) => word.toLowerCase()))
  const found = new Set<string>()
  for (const value of RAW_VALUES) {
    if (new RegExp(`(^|[^\\w])${value}([^\\w]|$)`).test(text)) {
      found.add(value)
    }
  }
  for (const word of text.match(/[A-Za-z][A-Za-z_-]*/g) ?? []) {
    if (!allowed.has(word.toLowerCase())) {
      found.add(word)
    }
  }
  return [...found]
}
