// The use cases scripts call directly (demo data), with the deps they take.
export { createActivity, publishActivity } from './activities/activities.service.ts'
export { buildApp, type CommunityOverrides, migrate, SCHEMA } from './app.ts'
export { CommunityConfig } from './config.ts'
export { migrations } from './db/migrations/index.ts'
export type { DB as CommunityDB } from './db/schema.ts'
export { useCaseDeps } from './deps.ts'
export { endActivity } from './ending/activity-end.ts'
export { closeEvaluationWindow, submitEvaluation } from './evaluations/submit-evaluation.ts'
export { checkIn, signUp } from './registrations/registrations.service.ts'
export {
  createSurvey,
  publishSurvey,
  type SurveyDeps,
  submitResponse,
} from './surveys/surveys.service.ts'
