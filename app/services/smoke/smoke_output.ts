import type { FailureReport } from '#services/smoke/smoke_failure'
import type { SmokeReport } from '#services/smoke/run_smoke'

const BODY_LIMIT = 2000

/**
 * What an operator reads when the run fails. A failure without a response
 * (nothing listening, no answer in time) is one line; otherwise the lines
 * name the step, the request, the status, the requestId to look up in the
 * server log, and the body.
 */
export function failureLines(report: SmokeReport): string[] {
  const failure = report.failure
  if (!failure) {
    return []
  }
  const headline = `smoke failed at step "${failure.step}": ${failure.message}`
  if (failure.status === null) {
    return [headline]
  }
  const body = typeof failure.body === 'string' ? failure.body : JSON.stringify(failure.body)
  return [
    headline,
    `  request:   ${failure.request} → HTTP ${failure.status}`,
    `  requestId: ${failure.requestId}`,
    `  body:      ${body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}…` : body}`,
  ]
}

export function summaryLine(report: SmokeReport) {
  return `smoke passed: ${report.steps.length} steps in ${report.durationMs} ms against ${report.baseUrl} (run ${report.runId})`
}

/**
 * The document `--json` prints when the run could not even start.
 */
export function usageProblemReport(problem: string) {
  const failure: FailureReport = {
    step: 'options',
    kind: 'usage',
    message: problem,
    request: null,
    status: null,
    requestId: null,
    body: null,
  }
  return { ok: false, steps: [], failure }
}
