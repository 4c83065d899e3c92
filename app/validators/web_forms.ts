import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import paymentsConfig from '#config/payments'
import { MAX_BUDGET } from '#validators/offer'
import { formatMoney } from '#services/format_money'
import { pageFields, pageNumberField } from '#validators/pagination'
import { USER_ROLES } from '#models/user'

/**
 * People type roubles, with a comma or a dot before the kopecks; the
 * services take integer kopecks. The text is converted digit by digit, so
 * no float ever holds money.
 */
const RUBLES = /^(\d{1,12})(?:[.,](\d{1,2}))?$/

export function rublesToKopecks(text: string): number {
  const [, whole, fraction = ''] = RUBLES.exec(text.replace(/\s/g, ''))!
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

const rubles = vine.createRule(
  (value: unknown, options: { min: number; max: number }, field: FieldContext) => {
    if (typeof value !== 'string' || !RUBLES.test(value.replace(/\s/g, ''))) {
      field.report('Введите сумму в рублях', 'rubles', field)
      return
    }
    const kopecks = rublesToKopecks(value)
    if (kopecks < options.min) {
      field.report('Слишком маленькая сумма', 'rublesMin', field, { min: formatMoney(options.min) })
    } else if (kopecks > options.max) {
      field.report('Слишком большая сумма', 'rublesMax', field, { max: formatMoney(options.max) })
    }
  },
  { name: 'rubles' }
)

const amountInRubles = (min: number) =>
  vine
    .string()
    .trim()
    .use(rubles({ min, max: MAX_BUDGET }))
    .transform(rublesToKopecks)

const offerFields = {
  title: vine.string().trim().minLength(3).maxLength(120),
  brief: vine.string().trim().minLength(1).maxLength(5000),
  budget: amountInRubles(1),
  deadline: vine
    .date({ formats: ['YYYY-MM-DD'] })
    .afterOrEqual('today')
    .optional(),
}

export const offerFormValidator = vine.create(offerFields)

export const payoutFormValidator = vine.create({
  amount: amountInRubles(paymentsConfig.payoutMinAmount),
  formKey: vine.string().uuid().optional(),
})

export const pageValidator = vine.create({ ...pageFields })

/**
 * The balance page holds two lists: the ledger pages with `page`, a
 * creator's payout requests with `payoutsPage`.
 */
export const balancePagesValidator = vine.create({
  ...pageFields,
  payoutsPage: pageNumberField(),
})

export const inviteFormValidator = vine.create({
  creatorId: vine.number().withoutDecimals().min(1).max(2_147_483_647),
  message: vine.string().trim().maxLength(2000).optional(),
})

export const userListValidator = vine.create({
  ...pageFields,
  role: vine.enum(USER_ROLES).optional(),
})
