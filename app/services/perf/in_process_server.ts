import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import app from '@adonisjs/core/services/app'

/**
 * The app's own HTTP stack (router, middleware, controllers) listening on a
 * free local port in this process, so the workload goes through everything
 * a real request does while its queries are recorded here.
 */
export async function startInProcessServer() {
  const server = await app.container.make('server')
  await server.boot()
  const httpServer = createServer(server.handle.bind(server))
  httpServer.listen(0, '127.0.0.1')
  await once(httpServer, 'listening')
  const { port } = httpServer.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      httpServer.closeAllConnections()
      httpServer.close()
      await once(httpServer, 'close')
    },
  }
}
