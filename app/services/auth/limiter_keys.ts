import { createHmac } from 'node:crypto'
import { isIP } from 'node:net'
import env from '#start/env'
import { normalizeEmail } from '#services/users/normalize_email'

/**
 * The store key of a client for the per-IP limit: the address itself for
 * IPv4, its /64 prefix for IPv6, where one host holds a whole /64 and could
 * otherwise take a fresh address for every request.
 */
export function ipLimiterKey(ip: string) {
  return limiterKey('ip', clientNetwork(ip))
}

/**
 * The store key of an e-mail for the per-e-mail limit, in the spelling
 * register and login read it in (`normalizeEmail`).
 */
export function emailLimiterKey(email: string) {
  return limiterKey('email', normalizeEmail(email))
}

/**
 * A rate-limit store key for a value of some kind (an IP, an e-mail, a
 * Telegram chat), keyed with APP_KEY: a plain hash of an e-mail is reversed
 * by hashing a list of addresses, and a raw IP or chat id is personal data;
 * the store keeps neither.
 */
export function limiterKey(kind: string, value: string) {
  return createHmac('sha256', env.get('APP_KEY').release()).update(`${kind}:${value}`).digest('hex')
}

function clientNetwork(ip: string) {
  const address = ip.replace(/%.*$/, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) {
    return mapped[1]
  }
  if (isIP(address) !== 6) {
    return address
  }
  const groups = expandIpv6(address)
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    return ipv4Of(groups[6], groups[7])
  }
  return `${groups.slice(0, 4).join(':')}::/64`
}

/** An IPv4-mapped address written in hex (`::ffff:c000:201`). */
function ipv4Of(high: string, low: string) {
  const [a, b] = [Number.parseInt(high, 16), Number.parseInt(low, 16)]
  return [a >> 8, a & 0xff, b >> 8, b & 0xff].join('.')
}

/**
 * The eight groups of an IPv6 address, `::` filled in, each without
 * leading zeros (a trailing dotted IPv4 part counts as two groups).
 */
function expandIpv6(address: string) {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null]
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':')).flatMap(ipv4AsGroups)
  const first = groupsOf(head)
  const last = tail === null ? [] : groupsOf(tail)
  const zeros = Array.from({ length: 8 - first.length - last.length }, () => '0')
  return [...first, ...zeros, ...last].map((group) => Number.parseInt(group, 16).toString(16))
}

function ipv4AsGroups(group: string) {
  if (!group.includes('.')) {
    return [group]
  }
  const [a, b, c, d] = group.split('.').map(Number)
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)]
}
