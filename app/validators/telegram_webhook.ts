import vine from '@vinejs/vine'

/**
 * A Bot API Update: only its update_id is checked here; grammY reads the
 * rest, which passes through untouched.
 */
export const telegramUpdateValidator = vine.create(
  vine
    .object({
      update_id: vine.number({ strict: true }).withoutDecimals().min(0),
    })
    .allowUnknownProperties()
)
