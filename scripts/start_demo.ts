/*
|--------------------------------------------------------------------------
| The embedded demo stack
|--------------------------------------------------------------------------
|
| Runs the HTTP server and the outbox consumer side by side (the consumer
| turns events into notifications), prefixes their output, and stops both
| when either exits or on Ctrl-C / SIGTERM. `npm run demo` calls it after
| `demo:prepare`.
|
*/
import { spawn, type ChildProcess } from 'node:child_process'

const processes: Array<{ name: string; args: string[] }> = [
  { name: 'server', args: ['ace', 'serve'] },
  { name: 'outbox', args: ['ace', 'outbox:consume'] },
]

const children: ChildProcess[] = []
let stopping = false

function stopAll(exitCode: number) {
  if (stopping) {
    return
  }
  stopping = true
  for (const child of children) {
    child.kill('SIGTERM')
  }
  setTimeout(() => process.exit(exitCode), 5000).unref()
}

for (const { name, args } of processes) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `[${name}] ${line}\n`)
      .join('')
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)))
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)))
  child.on('exit', (code) => {
    process.stdout.write(`[${name}] exited with ${code}\n`)
    stopAll(code ?? 1)
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) {
      process.exit(code ?? 1)
    }
  })
  children.push(child)
}

process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))
