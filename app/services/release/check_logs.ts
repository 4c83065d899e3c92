import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { findSecrets } from '#services/release/find_secrets'
import { missed, passed, type ReleaseItemResult } from '#services/release/release_item'

/** A report names at most this many findings; the count says how many there were. */
const MAX_LISTED = 20

/**
 * Item 5: the logs of the run hold no e-mail, phone number, token, binding
 * code or chat id. Each file is read line by line, so a large log costs no
 * memory; a finding is reported as file:line and its kind, masked.
 */
export async function checkLogs(files: string[]): Promise<ReleaseItemResult> {
  if (files.length === 0) {
    return missed('no log file given: pass --logs for each log of the run')
  }
  const findings: string[] = []
  let lines = 0
  for (const file of files) {
    let number = 0
    const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
    for await (const line of reader) {
      number += 1
      for (const finding of findSecrets(line)) {
        findings.push(`${file}:${number}: ${finding.kind} (${finding.masked})`)
      }
    }
    lines += number
  }
  const scanned = `${lines} lines in ${files.length} file(s)`
  if (findings.length === 0) {
    return passed(`${scanned}: nothing found`)
  }
  const listed = findings.slice(0, MAX_LISTED)
  if (findings.length > MAX_LISTED) {
    listed.push(`… and ${findings.length - MAX_LISTED} more`)
  }
  return missed(`${findings.length} finding(s) in ${scanned}; first: ${findings[0]}`, listed)
}
