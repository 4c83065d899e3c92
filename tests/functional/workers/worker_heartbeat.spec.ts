import { readdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { test } from '@japa/runner'
import { WorkerHeartbeat } from '#services/workers/worker_heartbeat'
import { truncateAll } from '#tests/support/database'

test.group('worker health file', (group) => {
  group.each.setup(() => truncateAll())

  test('a supervisor reading it during beats always finds whole JSON', async ({ assert }) => {
    const heartbeat = new WorkerHeartbeat('outbox', 'health-file-reader')
    // Large enough that a write in place is caught short by a reader.
    const counters = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, index) => [`outcome_${index}`, index])
    )
    await heartbeat.beat(counters)

    let beating = true
    const beats = (async () => {
      try {
        for (let beat = 0; beat < 40; beat++) {
          await heartbeat.beat(counters)
        }
      } finally {
        beating = false
      }
    })()
    const torn: number[] = []
    let reads = 0
    while (beating) {
      const text = await readFile(heartbeat.file, 'utf8')
      reads += 1
      try {
        assert.equal(JSON.parse(text).worker, 'outbox')
      } catch {
        torn.push(text.length)
      }
    }
    await beats

    assert.isAbove(reads, 10)
    assert.deepEqual(torn, [], `${torn.length} of ${reads} reads found a partial file`)
    await heartbeat.stop()
    const left = await readdir(dirname(heartbeat.file))
    assert.notInclude(left.join(' '), `outbox-${process.pid}.json`)
  })
})
