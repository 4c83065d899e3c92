import { randomBytes } from 'node:crypto'
import { runSmoke, type SmokeReport } from '#services/smoke/run_smoke'
import { createUser } from '#services/users/create_user'
import type { SeededCast } from '#services/perf/seed_volume'

export type WorkloadSummary = {
  /** GET requests of the list rounds. */
  reads: number
  smoke: SmokeReport
  /** Requests of the list rounds that did not answer 2xx: `GET /path → 500`. */
  failures: string[]
}

type Role = 'brand' | 'creator' | 'admin'

/**
 * The reads each role makes most: every list on its first and a deeper page,
 * the text search, and the small per-screen calls.
 */
const READS: Record<Role, string[]> = {
  creator: [
    '/api/me',
    '/api/offers',
    '/api/offers?page=5',
    '/api/offers?q=рюкзак',
    '/api/offers?q=самокат',
    '/api/applications',
    '/api/applications?page=5',
    '/api/invites',
    '/api/deals',
    '/api/notifications',
    '/api/notifications?page=5',
    '/api/notifications/unread-count',
    '/api/balance',
    '/api/ledger',
    '/api/payouts',
  ],
  brand: [
    '/api/me',
    '/api/offers',
    '/api/offers?page=5',
    '/api/applications',
    '/api/applications?page=5',
    '/api/invites',
    '/api/deals',
    '/api/notifications',
    '/api/notifications/unread-count',
    '/api/balance',
    '/api/ledger',
  ],
  admin: [
    '/api/offers',
    '/api/offers?page=5',
    '/api/applications',
    '/api/deals',
    '/api/admin/payouts',
    '/api/admin/outbox',
  ],
}

/**
 * The fixed workload: the whole smoke flow (writes, money, notifications),
 * then `rounds` rounds of every role's reads as the seeded brand, the seeded
 * creator and an admin made for the run.
 */
export async function runWorkload(
  baseUrl: string,
  cast: SeededCast,
  rounds: number
): Promise<WorkloadSummary> {
  const adminPassword = randomBytes(12).toString('base64url')
  const admin = await createUser({
    email: `perf-admin-${Date.now().toString(36)}${randomBytes(3).toString('hex')}@perf.test`,
    password: adminPassword,
    role: 'admin',
    displayName: 'perf:capture',
  })
  const smoke = await runSmoke({
    baseUrl,
    admin: { email: admin.email, password: adminPassword },
    waitMs: 15_000,
    timeoutMs: 10_000,
  })

  const tokens: Record<Role, string> = {
    brand: await issueToken(baseUrl, cast.brandEmail, cast.password),
    creator: await issueToken(baseUrl, cast.creatorEmail, cast.password),
    admin: await issueToken(baseUrl, admin.email, adminPassword),
  }
  let reads = 0
  const failures: string[] = []
  for (let round = 0; round < rounds; round++) {
    for (const role of Object.keys(READS) as Role[]) {
      for (const path of READS[role]) {
        reads++
        const response = await fetch(`${baseUrl}${path}`, {
          headers: { authorization: `Bearer ${tokens[role]}`, accept: 'application/json' },
        })
        await response.arrayBuffer()
        if (!response.ok) {
          failures.push(`GET ${path} as ${role} → ${response.status}`)
        }
      }
    }
  }
  return { reads, smoke, failures }
}

async function issueToken(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept': 'application/json' },
    body: JSON.stringify({ email, password, name: 'perf:capture' }),
  })
  const body = await response.text()
  if (response.status !== 201) {
    throw new Error(`POST /api/auth/tokens answered ${response.status}: ${body.slice(0, 200)}`)
  }
  return JSON.parse(body).data.token as string
}
