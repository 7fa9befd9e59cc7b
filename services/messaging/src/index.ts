export { buildApp, type MessagingOverrides, migrate, SCHEMA } from './app.ts'
export { MessagingConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
