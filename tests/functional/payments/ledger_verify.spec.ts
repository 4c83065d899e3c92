import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { truncateAll } from '#tests/support/database'
import { forgeTransaction } from '#tests/support/ledger'
import { as, creatorWithBalance, dealIn, payoutIn, userOf } from '#tests/support/marketplace'
import { verifyLedger } from '#services/ledger/verify_ledger'
import { rejectPayout } from '#services/payouts/decide_payout'
import { accounts, references } from '#services/ledger/accounts'

async function violations() {
  return (await verifyLedger()).map((violation) => [violation.check, violation.detail])
}

async function setStatus(table: 'deals' | 'payout_requests', id: number, status: string) {
  await db.from(table).where('id', id).update({ status })
}

test.group('ledger:verify: payouts and deal amounts against the books', (group) => {
  group.each.setup(() => truncateAll())

  test('finds a payout whose status and ledger transactions disagree', async ({ assert }) => {
    const creator = (await creatorWithBalance()).user
    const admin = await userOf('admin')
    await payoutIn('paid', creator, 10_000)
    await rejectPayout(as(admin), (await payoutIn('requested', creator, 10_000)).id)
    await rejectPayout(as(admin), (await payoutIn('approved', creator, 10_000)).id)
    await payoutIn('approved', creator, 10_000)
    assert.deepEqual(await verifyLedger(), [])

    const approvedWhileRequested = await payoutIn('requested', creator, 11_000)
    await forgeTransaction({
      reference: references.payoutApprove(approvedWhileRequested.id),
      kind: 'payout_approve',
      payoutId: approvedWhileRequested.id,
      entries: [
        [accounts.creatorAvailable(creator.id), -11_000],
        [accounts.creatorHold(creator.id), 11_000],
      ],
    })
    const paidWithoutPaying = await payoutIn('approved', creator, 12_000)
    await setStatus('payout_requests', paidWithoutPaying.id, 'paid')
    const rejectedKeepingHold = await payoutIn('approved', creator, 13_000)
    await setStatus('payout_requests', rejectedKeepingHold.id, 'rejected')
    const approvedUnderItsReferenceOnly = await payoutIn('requested', creator, 14_000)
    await forgeTransaction({
      reference: references.payoutApprove(approvedUnderItsReferenceOnly.id),
      kind: 'payout_approve',
      entries: [
        [accounts.creatorAvailable(creator.id), -14_000],
        [accounts.creatorHold(creator.id), 14_000],
      ],
    })

    assert.sameDeepMembers(await violations(), [
      [
        'payout status matches its ledger transactions',
        `payout ${approvedWhileRequested.id} (requested): approve, expected none`,
      ],
      [
        'payout status matches its ledger transactions',
        `payout ${paidWithoutPaying.id} (paid): approve, expected approve + paid`,
      ],
      [
        'payout status matches its ledger transactions',
        `payout ${rejectedKeepingHold.id} (rejected): approve, expected none or approve + reject`,
      ],
      [
        'payout status matches its ledger transactions',
        `payout ${approvedUnderItsReferenceOnly.id} (requested): 1 other, expected none`,
      ],
      [
        'payout hold equals approved payouts',
        `${accounts.creatorHold(creator.id)}: 60000, approved payouts 10000`,
      ],
    ])
  })

  test('finds a payout transaction that moves another amount or elsewhere', async ({ assert }) => {
    const creator = (await creatorWithBalance()).user
    const approvedShort = await payoutIn('requested', creator, 100_000)
    await forgeTransaction({
      reference: references.payoutApprove(approvedShort.id),
      kind: 'payout_approve',
      payoutId: approvedShort.id,
      entries: [
        [accounts.creatorAvailable(creator.id), -70_000],
        [accounts.creatorHold(creator.id), 70_000],
      ],
    })
    await setStatus('payout_requests', approvedShort.id, 'approved')
    const paidBackToCreator = await payoutIn('approved', creator, 50_000)
    await forgeTransaction({
      reference: references.payoutPaid(paidBackToCreator.id),
      kind: 'payout_paid',
      payoutId: paidBackToCreator.id,
      entries: [
        [accounts.creatorHold(creator.id), -50_000],
        [accounts.creatorAvailable(creator.id), 50_000],
      ],
    })
    await setStatus('payout_requests', paidBackToCreator.id, 'paid')

    const available = accounts.creatorAvailable(creator.id)
    const hold = accounts.creatorHold(creator.id)
    assert.sameDeepMembers(await violations(), [
      [
        'payout transaction moves the payout amount',
        `payout:${approvedShort.id}:approve (payout ${approvedShort.id}, amount 100000): ` +
          `70000 out of ${available}, 70000 into ${hold}, 0 elsewhere`,
      ],
      [
        'payout transaction moves the payout amount',
        `payout:${paidBackToCreator.id}:paid (payout ${paidBackToCreator.id}, amount 50000): ` +
          `50000 out of ${hold}, 0 into ${accounts.payouts}, 50000 elsewhere`,
      ],
      ['payout hold equals approved payouts', `${hold}: 70000, approved payouts 100000`],
    ])
  })

  test('finds a payout hold that is not the sum of approved payouts', async ({ assert }) => {
    const heldWithoutPayout = (await creatorWithBalance()).user
    await payoutIn('approved', heldWithoutPayout, 100_000)
    await forgeTransaction({
      reference: 'forged:hold',
      kind: 'payout_approve',
      entries: [
        [accounts.creatorAvailable(heldWithoutPayout.id), -5_000],
        [accounts.creatorHold(heldWithoutPayout.id), 5_000],
      ],
    })
    const approvedWithoutHold = (await creatorWithBalance()).user
    const payout = await payoutIn('requested', approvedWithoutHold, 20_000)
    await setStatus('payout_requests', payout.id, 'approved')

    assert.sameDeepMembers(await violations(), [
      [
        'payout hold equals approved payouts',
        `${accounts.creatorHold(heldWithoutPayout.id)}: 105000, approved payouts 100000`,
      ],
      [
        'payout hold equals approved payouts',
        `${accounts.creatorHold(approvedWithoutHold.id)}: 0, approved payouts 20000`,
      ],
      [
        'payout status matches its ledger transactions',
        `payout ${payout.id} (approved): none, expected approve`,
      ],
    ])
  })

  test('finds a fund short of the deal amount that a release of the same sum hides', async ({
    assert,
  }) => {
    const creator = await userOf('creator')
    const deal = await dealIn('awaiting_funding', await userOf('brand'), creator)
    await forgeTransaction({
      reference: references.fund(deal.id),
      kind: 'fund',
      dealId: deal.id,
      entries: [
        [accounts.brandFunding, -100],
        [accounts.escrow(deal.id), 100],
      ],
    })
    await forgeTransaction({
      reference: references.release(deal.id),
      kind: 'release',
      dealId: deal.id,
      entries: [
        [accounts.escrow(deal.id), -100],
        [accounts.creatorAvailable(creator.id), 90],
        [accounts.platformFees, 10],
      ],
    })
    await setStatus('deals', deal.id, 'completed')

    assert.sameDeepMembers(await violations(), [
      [
        'fund puts the deal amount into escrow',
        `deal ${deal.id} (completed): 100, expected ${deal.amount}`,
      ],
      [
        'release pays the deal amount to its creator and the fee',
        `deal:${deal.id}:release (deal ${deal.id}, amount ${deal.amount}): 100 out of escrow, ` +
          `90 to ${accounts.creatorAvailable(creator.id)}, 10 to ${accounts.platformFees}, 0 elsewhere`,
      ],
    ])
  })

  test('finds a release that pays another creator or splits off more than the amount', async ({
    assert,
  }) => {
    const brand = await userOf('brand')
    const creator = await userOf('creator')
    const stranger = await userOf('creator')
    const releases = {
      toStranger: [
        [accounts.creatorAvailable(stranger.id), 450_000],
        [accounts.platformFees, 50_000],
      ],
      partlyElsewhere: [
        [accounts.creatorAvailable(creator.id), 440_000],
        [accounts.platformFees, 50_000],
        [accounts.payouts, 10_000],
      ],
      feeTakenBack: [
        [accounts.creatorAvailable(creator.id), 550_000],
        [accounts.platformFees, -50_000],
      ],
      withoutFee: [[accounts.creatorAvailable(creator.id), 500_000]],
    } satisfies Record<string, Array<[string, number]>>
    const deals: Record<string, number> = {}
    for (const [name, entries] of Object.entries(releases)) {
      const deal = await dealIn('submitted', brand, creator)
      await forgeTransaction({
        reference: references.release(deal.id),
        kind: 'release',
        dealId: deal.id,
        entries: [[accounts.escrow(deal.id), -deal.amount], ...entries],
      })
      await setStatus('deals', deal.id, 'completed')
      deals[name] = deal.id
    }

    const detail = (id: number, share: number, fee: number, elsewhere: number) =>
      `deal:${id}:release (deal ${id}, amount 500000): 500000 out of escrow, ` +
      `${share} to ${accounts.creatorAvailable(creator.id)}, ${fee} to ${accounts.platformFees}, ` +
      `${elsewhere} elsewhere`
    const check = 'release pays the deal amount to its creator and the fee'
    assert.sameDeepMembers(await violations(), [
      [check, detail(deals.toStranger, 0, 50_000, 450_000)],
      [check, detail(deals.partlyElsewhere, 440_000, 50_000, 10_000)],
      [check, detail(deals.feeTakenBack, 550_000, -50_000, 0)],
    ])
  })
})
