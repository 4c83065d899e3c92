import { test } from '@japa/runner'
import { unstorableFields } from '#middleware/refuse_unstorable_characters_middleware'

const fieldsWithNul = (input: unknown) => unstorableFields(input).map(({ field }) => field)

test.group('unstorableFields', () => {
  test('names each string holding U+0000 by its path, nested and in lists', ({ assert }) => {
    const input = {
      title: 'clean',
      note: 'a\u0000b',
      items: [{ text: 'ok' }, { text: '\u0000' }],
      meta: { tags: ['x', 'y\u0000'], count: 3, empty: null },
    }
    assert.deepEqual(fieldsWithNul(input), ['items.1.text', 'meta.tags.1', 'note'])
  })

  test('finds nothing in clean input, in numbers, booleans and null', ({ assert }) => {
    assert.deepEqual(fieldsWithNul({ a: 'текст', b: 1, c: true, d: null, e: [] }), [])
    assert.deepEqual(fieldsWithNul(undefined), [])
    assert.deepEqual(fieldsWithNul('plain'), [])
  })

  test('a key holding U+0000 is named with it escaped, so the answer carries none', ({
    assert,
  }) => {
    const [field] = fieldsWithNul({ outer: { ['k\u0000ey']: 'value' } })
    assert.equal(field, 'outer.k\\u0000ey')
    assert.notInclude(field, '\u0000')
  })

  test('input nested deeper than the call stack is walked without overflowing it', ({ assert }) => {
    let nested: unknown = 'deep\u0000'
    for (let depth = 0; depth < 100_000; depth++) {
      nested = [nested]
    }
    const [field] = fieldsWithNul({ body: nested })
    assert.equal(field, `body${'.0'.repeat(100_000)}`)
  })

  test('a lone UTF-16 surrogate is named with its own rule; a pair (an emoji) is fine', ({
    assert,
  }) => {
    const input = { title: 'Обзор \ud800', brief: 'эмодзи 😀', tags: ['\udfff'], note: 'a\u0000b' }
    assert.deepEqual(unstorableFields(input), [
      { field: 'note', rule: 'nulCharacter' },
      { field: 'tags.0', rule: 'unpairedSurrogate' },
      { field: 'title', rule: 'unpairedSurrogate' },
    ])
  })
})
