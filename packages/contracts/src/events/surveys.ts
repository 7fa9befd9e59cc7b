import { z } from 'zod'
import { Id } from '../common.ts'
import { NeedFields } from '../needs.ts'

/** Survey event types of the community feed. Each one's payload schema is in `EVENT_CATALOGUE`. */
export const SURVEY_EVENTS = {
  /** entityId = the need's id (chosen by community); listings creates the need on the board once. */
  needRequested: 'survey.need_requested',
} as const

/**
 * Payload of `survey.need_requested`: an admin turned a survey result into a need. Listings owns the needs
 * board, so it creates the need (with this id, so a redelivered event creates nothing more).
 */
export const SurveyNeedRequestedPayload = z
  .object({
    needId: Id,
    organizationId: Id,
    surveyId: Id,
    evidence: z.string(),
    need: NeedFields,
  })
  .meta({ id: 'SurveyNeedRequestedPayload' })
export type SurveyNeedRequestedPayload = z.infer<typeof SurveyNeedRequestedPayload>
