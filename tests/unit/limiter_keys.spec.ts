import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import { emailLimiterKey, ipLimiterKey } from '#services/auth/limiter_keys'

test.group('rate limit keys', () => {
  test('one IPv6 /64 is one client, however its addresses are written', ({ assert }) => {
    const key = ipLimiterKey('2001:db8:1:2::1')
    for (const same of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0000:0000:0000:0abc',
      '2001:DB8:1:2::42%eth0',
      '2001:db8:1:2:0:0:1.2.3.4',
    ]) {
      assert.equal(ipLimiterKey(same), key, same)
    }
    for (const other of ['2001:db8:1:3::1', '2001:db8::1', '::1']) {
      assert.notEqual(ipLimiterKey(other), key, other)
    }
  })

  test('IPv4 addresses are clients of their own, mapped or not', ({ assert }) => {
    assert.notEqual(ipLimiterKey('192.0.2.1'), ipLimiterKey('192.0.2.2'))
    assert.equal(ipLimiterKey('::ffff:192.0.2.1'), ipLimiterKey('192.0.2.1'))
    assert.equal(ipLimiterKey('::ffff:c000:201'), ipLimiterKey('192.0.2.1'))
    assert.notEqual(ipLimiterKey('::ffff:c000:202'), ipLimiterKey('192.0.2.1'))
  })

  test('e-mails are keyed as register and login read them', ({ assert }) => {
    assert.equal(emailLimiterKey(' Teen@Example.TEST '), emailLimiterKey('teen@example.test'))
    assert.notEqual(emailLimiterKey('teen@example.test'), emailLimiterKey('other@example.test'))
  })

  test('a key gives away neither the address nor the e-mail', ({ assert }) => {
    const email = 'teen@example.test'
    const emailKey = emailLimiterKey(email)
    assert.notEqual(emailKey, createHash('sha256').update(email).digest('hex'))
    assert.notInclude(emailKey, email)
    const ipKey = ipLimiterKey('192.0.2.1')
    assert.notInclude(ipKey, '192.0.2.1')
    assert.match(ipKey, /^[0-9a-f]{64}$/)
  })
})
