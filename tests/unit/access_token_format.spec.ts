import { test } from '@japa/runner'
import { isWellFormedBearer } from '#services/auth/access_token_format'

const id = (value: string) => Buffer.from(value).toString('base64url')

test.group('isWellFormedBearer', () => {
  test('accepts {$self}')
    .with([
      `Bearer clb_${id('1')}.secret`,
      `bearer clb_${id('123456')}.s3cr3t-_x`,
      `Bearer clb_${id('2147483647')}.secret`,
    ])
    .run(({ assert }, header) => {
      assert.isTrue(isWellFormedBearer(header))
    })

  test('refuses {$self}')
    .with([
      'Basic dXNlcjpwYXNz',
      'Bearer',
      `Bearer oat_${id('1')}.secret`,
      `Bearer clb_${id('none')}.secret`,
      `Bearer clb_${id('0')}.secret`,
      `Bearer clb_${id('1')}`,
      `Bearer clb_${id('1')}.a.b`,
      `Bearer clb_${id('2147483648')}.secret`,
      `Bearer clb_${id('99999999999999999999')}.secret`,
    ])
    .run(({ assert }, header) => {
      assert.isFalse(isWellFormedBearer(header))
    })
})
