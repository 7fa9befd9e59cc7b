import { listen, loadConfig } from '@commons/service-kit'
import { buildApp, migrate } from './app.ts'
import { CommunityConfig } from './config.ts'

const config = loadConfig(CommunityConfig, process.env)
await migrate(config)
await listen(await buildApp(config), config)
