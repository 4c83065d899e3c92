import { test } from '@japa/runner'
import { ownPage } from '#http/return_to'

test.group('the page sign-in returns to', () => {
  test('a page of this site, with its query, is kept: {$self}')
    .with(['/deals/5', '/deals/5?from=telegram', '/offers?q=рюкзак&page=2', '/notifications'])
    .run(({ assert }, path) => {
      assert.equal(ownPage(path), path)
    })

  test('anything a browser could read as another site, or sign-in itself, is not: {$self}')
    .with([
      '//evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/ /evil.example',
      '/deals/5\\@evil.example',
      'https://evil.example/deals',
      'deals/5',
      '',
      '/login',
      '/login?next=/deals',
    ])
    .run(({ assert }, path) => {
      assert.isNull(ownPage(path))
    })

  test('a value that is not text is not', ({ assert }) => {
    for (const value of [undefined, null, 5, ['/deals/5'], { path: '/deals/5' }]) {
      assert.isNull(ownPage(value))
    }
  })
})
