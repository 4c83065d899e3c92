import { runSmoke } from '#services/smoke/run_smoke'
import { failureLines, summaryLine } from '#services/smoke/smoke_output'
import type { SmokeOptions } from '#services/smoke/smoke_run'
import { missed, passed, type ReleaseItemResult } from '#services/release/release_item'

/**
 * Item 2: the smoke run (`node ace smoke`) green against the server.
 */
export async function checkSmoke(options: SmokeOptions): Promise<ReleaseItemResult> {
  const report = await runSmoke(options)
  if (report.ok) {
    return passed(summaryLine(report))
  }
  const [headline, ...rest] = failureLines(report)
  return missed(
    headline,
    rest.map((line) => line.trim())
  )
}
