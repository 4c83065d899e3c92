/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| The ts-exec loader compiles TypeScript on the fly, so that ace commands
| run straight from the sources in development and in tests.
|
*/
import '@poppinss/ts-exec'

await import('./bin/console.js')
