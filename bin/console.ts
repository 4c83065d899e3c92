/*
|--------------------------------------------------------------------------
| Ace entrypoint
|--------------------------------------------------------------------------
|
| Boots the application in the console environment and runs the ace
| command given on the command line.
|
*/
import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core'
import { printBootError } from '#exceptions/boot_error'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('../start/env.js')
    })
    // No SIGTERM or SIGINT listener here (the stock entry point terminates
    // the app on SIGINT under pm2, which stops processes that way): a worker
    // command handles both itself (it finishes its batch, then the kernel
    // terminates the app); any other command keeps Node's default and stops
    // at once. Terminating here closed the database under a running batch.
  })
  .ace()
  .configure(async (app) => {
    const { scrubbedAceErrors } = await import('#exceptions/ace_error_handler')
    const kernel = await app.container.make('ace')
    kernel.errorHandler = scrubbedAceErrors(kernel.errorHandler)
  })
  .handle(process.argv.splice(2))
  .catch(printBootError)
