import { createHash } from 'node:crypto'
import type {
  Actor,
  CreateSurveyBody,
  PublishSurveyBody,
  ResponseReceipt,
  SubmitResponseBody,
  Survey,
  SurveyResults,
} from '@commons/contracts'
import { isUniqueViolation, newId } from '@commons/db'
import {
  badRequest,
  conflict,
  forbidden,
  notFound,
  tooManyRequests,
  unauthorized,
  validationFailed,
} from '@commons/service-kit'
import type { CommunityDeps } from '../deps.ts'
import { breakdownLabel, checkAnswers } from './answers.ts'
import { type ChallengeKeys, challengeHash, issueChallenge, verifyChallenge } from './challenge.ts'
import { resultsCsv, tallyResults } from './results.ts'
import {
  findSurvey,
  insertResponse,
  insertSurvey,
  lockSurvey,
  markPublished,
  moderateTextRow,
  recentFromClient,
  responsesOf,
  type SurveyWithOrg,
  surveysOf,
  textsOf,
} from './surveys.repository.ts'

/**
 * What the survey use cases need: the database, the clock and the challenge settings (not the job queue or
 * the whole config, so the demo loader can call them too).
 */
export interface SurveyDeps extends Pick<CommunityDeps, 'db' | 'clock'> {
  challenge: ChallengeKeys
  /** Anonymous answers one client (IP) may send to one survey per hour. */
  anonymousPerHour: number
}

const HOUR = 3_600_000

const isAdmin = (actor: Actor | null | undefined, organizationId: string) => {
  const role = actor?.roles[organizationId]
  return role === 'owner' || role === 'admin'
}
const isMember = (actor: Actor | null | undefined, organizationId: string) => Boolean(actor?.roles[organizationId])

function assertAdmin(actor: Actor, organizationId: string) {
  if (!isAdmin(actor, organizationId)) throw forbidden('Only admins of the organization may manage its surveys.')
}

const isOpen = (row: SurveyWithOrg, now: Date) =>
  row.status === 'published' &&
  row.opensAt !== null &&
  row.closesAt !== null &&
  row.opensAt <= now &&
  now < row.closesAt

function toSurvey(deps: SurveyDeps, row: SurveyWithOrg): Survey {
  const now = deps.clock.now()
  const open = isOpen(row, now)
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName: row.organizationName,
    title: row.title,
    description: row.description,
    allowAnonymous: row.allowAnonymous,
    questions: row.questions,
    status: row.status,
    opensAt: row.opensAt?.toISOString() ?? null,
    closesAt: row.closesAt?.toISOString() ?? null,
    open,
    link: `/surveys/${row.id}`,
    challenge: open && row.allowAnonymous ? issueChallenge(deps.challenge, row.id, now) : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
  }
}

/**
 * A survey the actor may see: its organization's members always; anyone else once it is published (a
 * draft is the organization's business, so others get 404 as if it did not exist).
 */
export async function visibleSurvey(deps: SurveyDeps, actor: Actor | null | undefined, id: string) {
  const row = await findSurvey(deps.db, id)
  if (!row || (row.status === 'draft' && !isMember(actor, row.organizationId) && !actor?.moderator))
    throw notFound('survey', id)
  return row
}

/** `POST /v1/surveys`: a draft of the organization's admins. */
export async function createSurvey(deps: SurveyDeps, actor: Actor, body: CreateSurveyBody): Promise<Survey> {
  assertAdmin(actor, body.organizationId)
  const id = newId()
  await insertSurvey(deps.db, {
    id,
    organizationId: body.organizationId,
    title: body.title,
    description: body.description,
    allowAnonymous: body.allowAnonymous,
    questions: JSON.stringify(body.questions),
    createdBy: actor.userId,
    createdAt: deps.clock.now(),
  })
  return toSurvey(deps, (await findSurvey(deps.db, id)) as SurveyWithOrg)
}

/** `POST /v1/surveys/:id/publish`: sets when answers are taken; a published survey's questions are fixed. */
export async function publishSurvey(
  deps: SurveyDeps,
  actor: Actor,
  id: string,
  body: PublishSurveyBody,
): Promise<Survey> {
  const current = await visibleSurvey(deps, actor, id)
  assertAdmin(actor, current.organizationId)
  const opensAt = body.opensAt ? new Date(body.opensAt) : deps.clock.now()
  const closesAt = new Date(body.closesAt)
  if (closesAt <= opensAt) throw badRequest('closesAt must be after opensAt.')
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockSurvey(trx, id)
    if (!row) throw notFound('survey', id)
    await markPublished(trx, id, { opensAt, closesAt, version: row.version + 1 })
  })
  return toSurvey(deps, (await findSurvey(deps.db, id)) as SurveyWithOrg)
}

export async function getSurvey(deps: SurveyDeps, actor: Actor | null | undefined, id: string): Promise<Survey> {
  return toSurvey(deps, await visibleSurvey(deps, actor, id))
}

/** The organization's surveys, for its members. */
export async function listSurveys(deps: SurveyDeps, actor: Actor, organizationId: string): Promise<Survey[]> {
  if (!isMember(actor, organizationId) && !actor.moderator)
    throw forbidden('Only members of the organization see its surveys.')
  return (await surveysOf(deps.db, organizationId)).map((row) => ({ ...toSurvey(deps, row), challenge: null }))
}

const hashed = (surveyId: string, value: string) =>
  createHash('sha256').update(`${surveyId}:${value}`).digest('base64url')

/** `POST /v1/surveys/:id/responses`. */
export async function submitResponse(
  deps: SurveyDeps,
  actor: Actor | null | undefined,
  id: string,
  body: SubmitResponseBody,
  clientIp: string,
): Promise<ResponseReceipt> {
  const survey = await visibleSurvey(deps, actor, id)
  const now = deps.clock.now()
  if (!isOpen(survey, now)) throw conflict('survey_closed', 'This survey is not taking answers now.')
  const checked = checkAnswers(survey.questions, body.answers)
  if (!checked.ok) throw validationFailed(checked.issues)

  let respondentUserId: string | null = null
  let enteredBy: string | null = null
  let deviceHash: string | null = null
  let challenge: string | null = null
  let clientHash: string | null = null
  if (body.onBehalf) {
    // A grid worker enters a resident's answers on a visit: one worker enters many, so no one-per rule.
    if (!actor) throw unauthorized()
    if (!isMember(actor, survey.organizationId))
      throw forbidden("Only members of the survey's organization may enter answers for residents.")
    enteredBy = actor.userId
  } else if (actor) {
    respondentUserId = actor.userId
  } else {
    if (!survey.allowAnonymous) throw unauthorized('Sign in to answer this survey.')
    if (!body.deviceId) throw badRequest('Anonymous answers need the deviceId the form keeps.')
    if (!body.challenge || !verifyChallenge(deps.challenge, id, body.challenge.token, body.challenge.solution, now))
      throw badRequest('The challenge is missing, expired or not solved.', 'challenge_failed')
    clientHash = hashed(id, clientIp)
    if ((await recentFromClient(deps.db, id, clientHash, new Date(now.getTime() - HOUR))) >= deps.anonymousPerHour)
      throw tooManyRequests(3600)
    deviceHash = hashed(id, body.deviceId)
    challenge = challengeHash(body.challenge.token)
  }

  const responseId = newId()
  const answers = checked.answers
  try {
    const texts = survey.questions.filter((q) => q.type === 'text' && typeof answers[q.id] === 'string')
    await deps.db.transaction().execute((trx) =>
      insertResponse(
        trx,
        {
          id: responseId,
          surveyId: id,
          respondentUserId,
          deviceHash,
          enteredBy,
          challengeHash: challenge,
          clientHash,
          answers: JSON.stringify(answers),
          targetGroup: breakdownLabel(survey.questions, answers, 'target_group'),
          district: breakdownLabel(survey.questions, answers, 'district'),
          createdAt: now,
        },
        texts.map((q) => ({
          id: newId(),
          surveyId: id,
          responseId,
          questionId: q.id,
          text: answers[q.id] as string,
          createdAt: now,
        })),
      ),
    )
  } catch (error) {
    // A solved challenge buys one answer: sent again with another device id, it is a bulk answer, not a
    // second answer of the same person.
    if (isUniqueViolation(error, 'survey_responses_challenge_key'))
      throw badRequest('This challenge was already used; load the form again.', 'challenge_failed')
    if (isUniqueViolation(error))
      throw conflict('already_answered', 'This survey was already answered from this account or device.')
    throw error
  }
  return { id: responseId, surveyId: id, enteredByGridWorker: enteredBy !== null, createdAt: now.toISOString() }
}

/** `GET /v1/surveys/:id/results`: full for the organization, suppressed and moderated for everyone else. */
export async function surveyResults(
  deps: SurveyDeps,
  actor: Actor | null | undefined,
  id: string,
): Promise<{ results: SurveyResults; csv: () => string }> {
  const survey = await visibleSurvey(deps, actor, id)
  const [responses, texts] = await Promise.all([responsesOf(deps.db, id), textsOf(deps.db, id)])
  const results = tallyResults({
    surveyId: id,
    title: survey.title,
    questions: survey.questions,
    responses,
    texts,
    suppress: !isMember(actor, survey.organizationId),
  })
  return { results, csv: () => resultsCsv(results, survey.questions) }
}

/** `PATCH /v1/surveys/:id/texts/:textId`: the organization's admins (or moderators) approve or reject a text. */
export async function moderateText(
  deps: SurveyDeps,
  actor: Actor,
  id: string,
  textId: string,
  status: 'approved' | 'rejected',
) {
  const survey = await visibleSurvey(deps, actor, id)
  if (!isAdmin(actor, survey.organizationId) && !actor.moderator)
    throw forbidden("Only admins of the survey's organization or moderators may moderate its answers.")
  const row = await moderateTextRow(deps.db, id, textId, { status, moderatedBy: actor.userId })
  if (!row) throw notFound('survey_text', textId)
  return row
}
