export { buildApp, migrate, SCHEMA } from './app.ts'
export { BookingsConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
