import vine from '@vinejs/vine'

/**
 * A Bot API Update: only its update_id is checked here; grammY reads the
 * rest, which passes through untouched. Past 2^53 − 1 two ids could read
 * as one number, and the column is a bigint.
 */
export const telegramUpdateValidator = vine.create(
  vine
    .object({
      update_id: vine
        .number({ strict: true })
        .withoutDecimals()
        .min(0)
        .max(Number.MAX_SAFE_INTEGER),
    })
    .allowUnknownProperties()
)
