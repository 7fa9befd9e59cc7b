export { buildApp, type CommunityOverrides, migrate, SCHEMA } from './app.ts'
export { CommunityConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
export type { DB as CommunityDB } from './db/schema.ts'
export {
  createSurvey,
  publishSurvey,
  type SurveyDeps,
  submitResponse,
} from './surveys/surveys.service.ts'
