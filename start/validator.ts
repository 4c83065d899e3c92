/*
|--------------------------------------------------------------------------
| Validation messages
|--------------------------------------------------------------------------
|
| VineJS reports every invalid field; the Russian messages come from
| resources/lang/ru/validator.json, the same file the web forms use, so the
| API's `fields[].message` and the pages say the same thing.
|
*/
import vine from '@vinejs/vine'
import i18nManager from '@adonisjs/i18n/services/main'
import { TranslatedMessages } from '#validators/translated_messages'

vine.messagesProvider = new TranslatedMessages(i18nManager.locale(i18nManager.defaultLocale))
