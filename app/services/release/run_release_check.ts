import { checkLogs } from '#services/release/check_logs'
import { checkMoneyRepeats } from '#services/release/check_money_repeats'
import { checkSchema } from '#services/release/check_schema'
import { checkSmoke } from '#services/release/check_smoke'
import { checkWorkers } from '#services/release/check_workers'
import { missed, type ReleaseItem, type ReleaseItemResult } from '#services/release/release_item'
import type { ReleaseOptions } from '#services/release/release_options'
import { reasonOf } from '#exceptions/schema_check_error'
import { SmokeHttp } from '#services/smoke/smoke_http'

export type ReleaseReport = {
  ok: boolean
  baseUrl: string
  startedAt: string
  durationMs: number
  items: ReleaseItem[]
}

/**
 * The release checklist (DESIGN.md §8), every item in order, each one run
 * whatever the others gave: an operator sees every miss at once. The log
 * scan comes last so that it covers what the smoke run and the throwaway
 * deal made the server and the workers write.
 */
export async function runReleaseCheck(
  options: ReleaseOptions,
  onProgress: (line: string) => void
): Promise<ReleaseReport> {
  const startedAt = new Date()
  const http = new SmokeHttp(options.smoke.baseUrl, 'release-health', options.smoke.timeoutMs)
  const plan: Array<
    Omit<ReleaseItem, 'ok' | 'evidence' | 'details'> & {
      run: () => Promise<ReleaseItemResult>
    }
  > = [
    {
      item: 1,
      name: 'schema',
      checked: 'migrations applied and no drift (db:drift on the configured connection)',
      run: () => checkSchema((step) => onProgress(`  ${step}`)),
    },
    {
      item: 2,
      name: 'smoke',
      checked: `smoke green against ${options.smoke.baseUrl}`,
      run: () => checkSmoke(options.smoke),
    },
    {
      item: 3,
      name: 'money repeats',
      checked:
        'fund, release, payout approve, mark paid repeated add no ledger rows; ledger:verify clean',
      run: () => checkMoneyRepeats(options.smoke),
    },
    {
      item: 4,
      name: 'workers',
      checked: '/api/health ok, fresh heartbeats of outbox and telegram workers',
      run: () => checkWorkers(http),
    },
    {
      item: 5,
      name: 'logs',
      checked: 'no e-mail, phone, token, bot token, binding code or chat id in --logs',
      run: () => checkLogs(options.logs),
    },
  ]

  const items: ReleaseItem[] = []
  for (const { run, ...item } of plan) {
    onProgress(`[${item.item}/${plan.length}] ${item.name}: ${item.checked}`)
    const started = Date.now()
    const result = await run().catch((error) => missed(reasonOf(error)))
    items.push({ ...item, ok: result.ok, evidence: result.evidence, details: result.details ?? [] })
    onProgress(
      `[${item.item}/${plan.length}] ${item.name}: ${result.ok ? 'ok' : 'MISS'} in ${Date.now() - started} ms`
    )
  }
  return {
    ok: items.every((item) => item.ok),
    baseUrl: options.smoke.baseUrl,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    items,
  }
}
