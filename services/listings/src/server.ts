import { listen, loadConfig } from '@commons/service-kit'
import { buildApp, migrate } from './app.ts'
import { ListingsConfig } from './config.ts'

const config = loadConfig(ListingsConfig, process.env)
await migrate(config)
await listen(await buildApp(config), config)
