import { randomBytes } from 'node:crypto'
import { SmokeFailure } from '#services/smoke/smoke_failure'
import { SmokeHttp } from '#services/smoke/smoke_http'

export type SmokeOptions = {
  baseUrl: string
  admin: { email: string; password: string }
  /** The longest wait for one notification: the outbox consumer's lag. */
  waitMs: number
  /** The longest wait for one HTTP answer. */
  timeoutMs: number
}

export type StepResult = { name: string; ok: boolean; ms: number }

/**
 * One smoke run: its id (which makes its users and request ids unique), its
 * HTTP client, and the steps done so far with their timings. A step either
 * passes or stops the run: there are no retries.
 */
export class SmokeRun {
  readonly runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  readonly http: SmokeHttp
  readonly steps: StepResult[] = []

  constructor(readonly options: SmokeOptions) {
    this.http = new SmokeHttp(options.baseUrl, this.runId, options.timeoutMs)
  }

  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    this.http.lastResponse = undefined
    const started = performance.now()
    try {
      const value = await action()
      this.steps.push({ name, ok: true, ms: Math.round(performance.now() - started) })
      return value
    } catch (error) {
      this.steps.push({ name, ok: false, ms: Math.round(performance.now() - started) })
      const failure = SmokeFailure.from(error, this.http.lastResponse)
      failure.step = name
      throw failure
    }
  }
}
