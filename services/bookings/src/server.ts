import { listen, loadConfig } from '@commons/service-kit'
import { buildApp, migrate } from './app.ts'
import { BookingsConfig } from './config.ts'

const config = loadConfig(BookingsConfig, process.env)
await migrate(config)
await listen(await buildApp(config), config)
