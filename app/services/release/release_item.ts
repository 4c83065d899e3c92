/**
 * One line of the release checklist (DESIGN.md §8): what was checked, the
 * evidence, and for a miss the lines an operator needs to act on it.
 */
export type ReleaseItem = {
  item: number
  name: 'schema' | 'smoke' | 'money repeats' | 'workers' | 'logs'
  ok: boolean
  checked: string
  evidence: string
  /** Only for a miss: the facts behind it (a smoke failure, each finding in a log). */
  details: string[]
}

export type ReleaseItemResult = Pick<ReleaseItem, 'ok' | 'evidence'> & { details?: string[] }

/**
 * The checks themselves report through this: an item passes or misses with
 * its evidence; an unexpected error is a miss with its one-line reason.
 */
export function passed(evidence: string): ReleaseItemResult {
  return { ok: true, evidence }
}

export function missed(evidence: string, details: string[] = []): ReleaseItemResult {
  return { ok: false, evidence, details }
}
