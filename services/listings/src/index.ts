export { buildApp, migrate, SCHEMA } from './app.ts'
export { ListingsConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
