import { listen, loadConfig } from '@commons/service-kit'
import { buildApp, migrate } from './app.ts'
import { MessagingConfig } from './config.ts'

const config = loadConfig(MessagingConfig, process.env)
await migrate(config)
await listen(await buildApp(config), config)
