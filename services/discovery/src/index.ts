export { buildApp, type DiscoveryOverrides, migrate, SCHEMA } from './app.ts'
export { DiscoveryConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
