export type PerfCaptureOptions = {
  /** Units of seeded rows (see seed_volume.ts); 0 seeds nothing. */
  scale: number
  /** How many times the list reads are repeated after the smoke flow. */
  rounds: number
  /** How many of the top groups get a plan. */
  explain: number
  out: string
}

export type PerfCaptureFlags = {
  scale: number
  rounds: number
  explain: number
  out?: string
}

export const MAX_SCALE = 500

/**
 * The flags as options, or the one line that says what is wrong with them.
 * `now` names the default report file.
 */
export function resolvePerfOptions(
  flags: PerfCaptureFlags,
  now: Date
): { options: PerfCaptureOptions } | { problem: string } {
  const limits = [
    ['--scale', flags.scale, 0, MAX_SCALE],
    ['--rounds', flags.rounds, 1, 100],
    ['--explain', flags.explain, 0, 50],
  ] as const
  for (const [flag, value, min, max] of limits) {
    if (!Number.isInteger(value) || value < min || value > max) {
      return { problem: `${flag} must be a whole number from ${min} to ${max}, got ${value}` }
    }
  }
  if (flags.out !== undefined && flags.out.trim() === '') {
    return { problem: '--out must name a file' }
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  return {
    options: {
      scale: flags.scale,
      rounds: flags.rounds,
      explain: flags.explain,
      out: flags.out ?? `tmp/perf/report-${stamp}.md`,
    },
  }
}
