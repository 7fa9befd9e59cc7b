// Child-process entry of the search benchmark: the discovery app alone in its own process (as in
// production), so the load generator does not share its event loop. Prints the URL once listening.
import { loadConfig } from '@commons/service-kit'
import { buildApp } from '../../src/app.ts'
import { DiscoveryConfig } from '../../src/config.ts'

const config = loadConfig(DiscoveryConfig, process.env)
const app = await buildApp(config)
const url = await app.listen({ host: '127.0.0.1', port: config.PORT })
process.stdout.write(`${url}\n`)
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})
