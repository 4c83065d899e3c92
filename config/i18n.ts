import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'

/**
 * The product speaks Russian only (DESIGN.md, issue 7): every visible string
 * lives in resources/lang/ru.
 */
const i18nConfig = defineConfig({
  defaultLocale: 'ru',
  supportedLocales: ['ru'],
  formatter: formatters.icu(),
  loaders: [loaders.fs({ location: app.languageFilesPath() })],
})

export default i18nConfig
