import { isJsonObject } from '#services/smoke/expect_response'
import type { SmokeHttp } from '#services/smoke/smoke_http'
import type { WorkerName } from '#services/workers/worker_heartbeat'
import { missed, passed, type ReleaseItemResult } from '#services/release/release_item'

const WORKERS: WorkerName[] = ['outbox', 'telegram']

type HeartbeatView = { worker: string; instance: string; lastTickAt: string; stale: boolean }

/**
 * Item 4: /api/health says `ok`, and lists a fresh heartbeat of each
 * worker: a worker that never started has no heartbeat at all, which the
 * health status alone would not show.
 */
export async function checkWorkers(http: SmokeHttp): Promise<ReleaseItemResult> {
  const response = await http.request('GET', '/api/health')
  const body = response.body
  const data = isJsonObject(body) && isJsonObject(body.data) ? body.data : null
  const checks = data && isJsonObject(data.checks) ? data.checks : null
  if (!data || !checks || !Array.isArray(checks.workers)) {
    return missed(
      `GET /api/health answered HTTP ${response.status} without data.checks.workers (requestId ${response.requestId})`
    )
  }
  const heartbeats = checks.workers as HeartbeatView[]
  const problems: string[] = []
  const seen: string[] = []
  for (const worker of WORKERS) {
    const own = heartbeats.filter((heartbeat) => heartbeat.worker === worker)
    const fresh = own.filter((heartbeat) => !heartbeat.stale)
    if (own.length === 0) {
      problems.push(`${worker}: no heartbeat (is node ace ${commandOf(worker)} running?)`)
    }
    for (const heartbeat of own.filter((one) => one.stale)) {
      problems.push(
        `${worker}: heartbeat of ${heartbeat.instance} is stale (last tick ${heartbeat.lastTickAt})`
      )
    }
    seen.push(`${worker} ${fresh.length} fresh/${own.length}`)
  }
  const evidence = `health ${String(data.status)} (HTTP ${response.status}); ${seen.join(', ')}`
  if (data.status !== 'ok') {
    problems.unshift(`/api/health status is ${String(data.status)}, not ok`)
  }
  return problems.length === 0 ? passed(evidence) : missed(evidence, problems)
}

function commandOf(worker: WorkerName) {
  return worker === 'outbox' ? 'outbox:consume' : 'telegram:work'
}
