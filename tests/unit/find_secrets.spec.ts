import { test } from '@japa/runner'
import { findSecrets } from '#services/release/find_secrets'

function kindsIn(line: string) {
  return findSecrets(line).map((finding) => finding.kind)
}

test.group('release:check log scan (findSecrets)', () => {
  test('finds {kind}')
    .with([
      { kind: 'e-mail', line: '{"msg":"registered","to":"ivan@example.ru"}' },
      { kind: 'phone number', line: 'call +7 912 345-67-89 back' },
      { kind: 'phone number', line: 'phone 8 (912) 345-67-89' },
      { kind: 'phone number', line: '{"phone":"912-345-6789"}' },
      { kind: 'bearer token', line: 'authorization: Bearer abcdef123456' },
      { kind: 'access token', line: '{"msg":"issued clb_MTI.c2VjcmV0c2VjcmV0c2VjcmV0"}' },
      { kind: 'access token', line: '{"token":"some-opaque-token-value"}' },
      {
        kind: 'Telegram bot token',
        line: 'POST https://api.telegram.org/bot123456:AAAbbbCCCdddEEEfffGGGhhhIIIjjjKKKll/sendMessage',
      },
      {
        kind: 'binding code',
        line: 'deep link https://t.me/collab_bot?start=Zk3x9QvB7mR2tY8wL1pN4sD6hJ0cF5aE',
      },
      { kind: 'binding code', line: '{"code":"Zk3x9QvB7mR2tY8wL1pN4sD6hJ0cF5aE","expiresAt":"…"}' },
      { kind: 'chat id', line: '{"chat_id":-1001234567890,"text":"…"}' },
      { kind: 'chat id', line: '{"chatId":"55512345"}' },
      { kind: 'chat id', line: '{"message":{"chat":{"id":4242,"type":"private"}}}' },
    ])
    .run(({ assert }, { kind, line }) => {
      assert.deepEqual(kindsIn(line), [kind])
    })

  test('pino lines without personal data give nothing', ({ assert }) => {
    for (const line of [
      '{"level":30,"time":1764143985123,"pid":4242,"hostname":"ci-runner-1","requestId":"smoke-mwx81ly2569cba-031","msg":"request completed","responseTime":12.5}',
      '{"level":30,"email":"[redacted]","token":"[redacted]","authorization":"[redacted]","msg":"x"}',
      '{"level":40,"worker":"telegram","deliveryId":55,"userId":7,"dealId":12,"amount":500000,"msg":"sent"}',
      '{"level":30,"msg":"migrated database/migrations/0035_add_outbox_events_claimable_index"}',
      'started HTTP server on 127.0.0.1:3392 at 2026-11-26T08:01:26.123Z',
    ]) {
      assert.deepEqual(findSecrets(line), [], line)
    }
  })

  test('a finding is masked: two characters and the length', ({ assert }) => {
    const [finding] = findSecrets('{"to":"ivan@example.ru"}')
    assert.equal(finding.masked, 'iv…(15 chars)')
  })

  test('a token inside a Bearer header is one finding, not two', ({ assert }) => {
    assert.deepEqual(kindsIn('Bearer clb_MTI.c2VjcmV0c2VjcmV0c2VjcmV0'), ['bearer token'])
  })
})
