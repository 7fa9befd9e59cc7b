import type { Actor, SurveyActivity, SurveyActivityBody } from '@commons/contracts'
import { createActivity } from '../activities/activities.service.ts'
import type { CommunityDeps } from '../deps.ts'
import { planningEvidence } from './survey-needs.ts'
import type { SurveyDeps } from './surveys.service.ts'

const DESCRIPTION_MAX = 4000

/**
 * `POST /v1/surveys/:id/activities`: an admin of the survey's organization turns a result into a draft
 * activity. The draft goes through the activities use case (its place rules and permissions), and its
 * description opens with the result it rests on, so whoever publishes it later sees why it exists.
 */
export async function draftActivity(
  deps: SurveyDeps & CommunityDeps,
  actor: Actor,
  id: string,
  body: SurveyActivityBody,
): Promise<SurveyActivity> {
  const { survey, evidence } = await planningEvidence(
    deps,
    actor,
    id,
    body,
    "Only admins of the survey's organization may plan activities from its results.",
  )
  const basis = `需求调查「${survey.title}」：${evidence}`
  const description = [basis, body.activity.description].filter(Boolean).join('\n\n').slice(0, DESCRIPTION_MAX)
  const activity = await createActivity(deps, actor, {
    ...body.activity,
    organizationId: survey.organizationId,
    description,
  })
  return { surveyId: id, questionId: body.questionId, optionId: body.optionId, evidence, activity }
}
