import type { HttpContext } from '@adonisjs/core/http'
import type { VineValidator } from '@vinejs/vine'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'
import { TranslatedMessages } from '#validators/translated_messages'

/**
 * Validates a web form (the body, or the query of a GET) with the Russian
 * messages of resources/lang/ru; the exception handler puts each message
 * next to its field.
 */
export async function validateForm<Schema extends SchemaTypes>(
  ctx: HttpContext,
  validator: VineValidator<Schema, any>,
  data: Record<string, unknown> = ctx.request.all()
): Promise<Infer<Schema>> {
  return validator.validate(data, { messagesProvider: new TranslatedMessages(ctx.i18n) })
}

/**
 * A list page's query. Web lists are numbered pages: the API's `after`
 * cursor is not theirs, so it is left out rather than mixed with `page`.
 * A filter form sends its "all" choice and an empty search box as empty
 * values (or blank, a search of spaces), which mean no filter: they are
 * left out too.
 */
export async function validateListQuery<Schema extends SchemaTypes>(
  ctx: HttpContext,
  validator: VineValidator<Schema, any>
): Promise<Infer<Schema>> {
  const query = Object.fromEntries(
    Object.entries(ctx.request.all()).filter(
      ([name, value]) => name !== 'after' && !(typeof value === 'string' && value.trim() === '')
    )
  )
  return validateForm(ctx, validator, query)
}
