/**
 * Which plan served a query last, for a while: a text search asks it
 * before it tries its plans in order (`scannedPage`). A remembered plan
 * only decides what is tried first; a plan that does not find enough still
 * falls through to the next, so a memo that has gone stale costs time,
 * never a wrong answer. Entries are forgotten after `lifetimeMs`, so the
 * choice follows the data as it changes, and the oldest entry goes when
 * `capacity` is reached. Each server process keeps its own.
 */
export class PlanMemo<Plan> {
  #entries = new Map<string, { plan: Plan; until: number }>()

  constructor(
    private capacity: number,
    private lifetimeMs: number,
    private now: () => number = Date.now
  ) {}

  recall(key: string): Plan | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) {
      return undefined
    }
    if (entry.until <= this.now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.plan
  }

  remember(key: string, plan: Plan) {
    this.#entries.delete(key)
    const oldest = this.#entries.keys().next()
    if (this.#entries.size >= this.capacity && !oldest.done) {
      this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, { plan, until: this.now() + this.lifetimeMs })
  }

  clear() {
    this.#entries.clear()
  }

  get size() {
    return this.#entries.size
  }
}
