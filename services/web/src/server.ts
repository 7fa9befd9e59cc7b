import { listen, loadConfig } from '@commons/service-kit'
import { buildApp } from './app.ts'
import { WebConfig } from './config.ts'

const config = loadConfig(WebConfig, process.env)
await listen(await buildApp(config), config)
