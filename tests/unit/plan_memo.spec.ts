import { test } from '@japa/runner'
import { PlanMemo } from '#services/plan_memo'

/**
 * A memo on a clock the test moves by hand.
 */
function memoAt(capacity: number, lifetimeMs: number) {
  const clock = { now: 1_000 }
  const memo = new PlanMemo<string>(capacity, lifetimeMs, () => clock.now)
  return { memo, clock }
}

test.group('PlanMemo', () => {
  test('recalls what was remembered, and nothing for a key it never saw', ({ assert }) => {
    const { memo } = memoAt(10, 60_000)
    memo.remember('rare word', 'index')
    memo.remember('common word', 'newest')

    assert.equal(memo.recall('rare word'), 'index')
    assert.equal(memo.recall('common word'), 'newest')
    assert.isUndefined(memo.recall('another word'))
  })

  test('recalling a plan does not extend its lifetime', ({ assert }) => {
    const { memo, clock } = memoAt(10, 60_000)
    memo.remember('word', 'index')

    for (let second = 0; second < 59; second += 1) {
      clock.now += 1_000
      assert.equal(memo.recall('word'), 'index')
    }
    clock.now += 1_000
    assert.isUndefined(memo.recall('word'))
  })

  test('the latest plan for a key replaces the one before', ({ assert }) => {
    const { memo } = memoAt(10, 60_000)
    memo.remember('word', 'newest')
    memo.remember('word', 'index')

    assert.equal(memo.recall('word'), 'index')
    assert.equal(memo.size, 1)
  })

  test('forgets a plan once its lifetime has passed, and remembering again renews it', ({
    assert,
  }) => {
    const { memo, clock } = memoAt(10, 60_000)
    memo.remember('word', 'index')

    clock.now += 59_999
    assert.equal(memo.recall('word'), 'index')
    clock.now += 1
    assert.isUndefined(memo.recall('word'))
    assert.equal(memo.size, 0)

    memo.remember('word', 'newest')
    clock.now += 59_999
    assert.equal(memo.recall('word'), 'newest')
  })

  test('at capacity the oldest remembered key goes first', ({ assert }) => {
    const { memo } = memoAt(2, 60_000)
    memo.remember('first', 'index')
    memo.remember('second', 'index')
    memo.remember('first', 'newest')
    memo.remember('third', 'index')

    assert.equal(memo.size, 2)
    assert.isUndefined(memo.recall('second'))
    assert.equal(memo.recall('first'), 'newest')
    assert.equal(memo.recall('third'), 'index')
  })

  test('clear forgets everything', ({ assert }) => {
    const { memo } = memoAt(10, 60_000)
    memo.remember('word', 'index')
    memo.clear()

    assert.equal(memo.size, 0)
    assert.isUndefined(memo.recall('word'))
  })
})
