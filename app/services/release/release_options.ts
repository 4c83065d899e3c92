import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import { reasonOf } from '#exceptions/schema_check_error'
import { pingConnection } from '#services/schema/ping_connection'
import { resolveSmokeOptions, type SmokeSettings } from '#services/smoke/smoke_options'
import { SmokeFailure } from '#services/smoke/smoke_failure'
import { SmokeHttp } from '#services/smoke/smoke_http'
import type { SmokeOptions } from '#services/smoke/smoke_run'

export type ReleaseOptions = { smoke: SmokeOptions; logs: string[] }

/**
 * The flags checked, then what every item needs reachable: the log files,
 * the database (the command runs next to it) and the server. Anything
 * missing is one line for the operator, before any item runs.
 */
export async function resolveReleaseOptions(
  settings: SmokeSettings & { logs: string[] },
  environment: { adminEmail?: string; adminPassword?: string }
): Promise<{ options: ReleaseOptions } | { problem: string }> {
  const resolved = resolveSmokeOptions(settings, environment)
  if ('problem' in resolved) {
    return resolved
  }
  for (const file of settings.logs) {
    const problem = await unreadableLog(file)
    if (problem) {
      return { problem }
    }
  }
  try {
    await pingConnection(db.primaryConnectionName)
  } catch (error) {
    return { problem: reasonOf(error) }
  }
  const smoke = resolved.options
  const http = new SmokeHttp(smoke.baseUrl, 'release-preflight', smoke.timeoutMs)
  try {
    await http.request('GET', '/api/health')
  } catch (error) {
    return { problem: SmokeFailure.from(error).message }
  }
  return { options: { smoke, logs: settings.logs } }
}

async function unreadableLog(file: string): Promise<string | null> {
  try {
    const info = await stat(file)
    return info.isFile() ? null : `--logs ${file}: not a file`
  } catch (error) {
    const code = (error as { code?: string }).code
    return code === 'ENOENT'
      ? `--logs ${file}: no such file (${resolve(file)})`
      : `--logs ${file}: cannot read it (${code ?? reasonOf(error)})`
  }
}
