import { test } from '@japa/runner'
import { bearerTokenOf } from '#services/auth/access_token_format'

const id = (value: string) => Buffer.from(value).toString('base64url')

test.group('bearerTokenOf', () => {
  test('finds the token in {$self}')
    .with([
      { header: `Bearer clb_${id('1')}.secret`, token: `clb_${id('1')}.secret` },
      { header: `bearer clb_${id('123456')}.s3cr3t-_x`, token: `clb_${id('123456')}.s3cr3t-_x` },
      { header: `Bearer clb_${id('2147483647')}.secret`, token: `clb_${id('2147483647')}.secret` },
      { header: `Bearer   clb_${id('7')}.secret`, token: `clb_${id('7')}.secret` },
      { header: `Bearer\tclb_${id('7')}.secret`, token: `clb_${id('7')}.secret` },
      { header: ` Bearer clb_${id('7')}.secret `, token: `clb_${id('7')}.secret` },
    ])
    .run(({ assert }, { header, token }) => {
      assert.equal(bearerTokenOf(header), token)
    })

  test('finds none in {$self}')
    .with([
      'Basic dXNlcjpwYXNz',
      'Bearer',
      `Bearerclb_${id('1')}.secret`,
      `Bearer oat_${id('1')}.secret`,
      `Bearer clb_${id('none')}.secret`,
      `Bearer clb_${id('0')}.secret`,
      `Bearer clb_${id('1')}`,
      `Bearer clb_${id('1')}.a.b`,
      `Bearer clb_${id('2147483648')}.secret`,
      `Bearer clb_${id('99999999999999999999')}.secret`,
    ])
    .run(({ assert }, header) => {
      assert.isNull(bearerTokenOf(header))
    })
})
