import { existsSync, readFileSync, statSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/**
 * The test logger writes JSON lines to a file (config/logger.ts); tests
 * take a mark before acting and read back what was written after it.
 */
const LOG_FILE = () => app.tmpPath('logs/test.log')

export function logMark(): number {
  return existsSync(LOG_FILE()) ? statSync(LOG_FILE()).size : 0
}

export function logTextSince(mark: number): string {
  return readFileSync(LOG_FILE()).subarray(mark).toString('utf8')
}

export function logLinesSince(mark: number): Array<Record<string, any>> {
  return logTextSince(mark)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
}
