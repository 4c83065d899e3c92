import type { I18n } from '@adonisjs/i18n'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'

/**
 * Validation messages from resources/lang/ru/validator.json, for the API
 * and the web forms alike. A rule's list argument (an enum's choices)
 * reads as "a, b": the ICU formatter would not join it.
 */
export class TranslatedMessages implements MessagesProviderContact {
  #messages: MessagesProviderContact

  constructor(i18n: I18n) {
    this.#messages = i18n.createMessagesProvider()
  }

  getMessage(
    defaultMessage: string,
    rule: string,
    field: FieldContext,
    args?: Record<string, any>
  ) {
    const flatArgs =
      args &&
      Object.fromEntries(
        Object.entries(args).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(', ') : value,
        ])
      )
    return this.#messages.getMessage(defaultMessage, rule, field, flatArgs)
  }
}
