import { listen, loadConfig } from '@commons/service-kit'
import { buildApp, migrate } from './app.ts'
import { DiscoveryConfig } from './config.ts'

const config = loadConfig(DiscoveryConfig, process.env)
await migrate(config)
await listen(await buildApp(config), config)
