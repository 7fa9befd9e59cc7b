import { type Actor, SURVEY_EVENTS, type SurveyNeed, type SurveyNeedBody } from '@commons/contracts'
import { appendEvent, newId } from '@commons/db'
import { badRequest, forbidden } from '@commons/service-kit'
import { tallyResults } from './results.ts'
import { insertSurveyNeed, needsOfSurvey, responsesOf, textsOf } from './surveys.repository.ts'
import { type SurveyDeps, visibleSurvey } from './surveys.service.ts'

/**
 * The sentence a need rests on, from the full (unsuppressed) results: the option's share of those who
 * answered, and of the target group that chose it most, e.g. "42% 的老年人（21/50）选择了「智能手机培训」".
 */
export function evidenceOf(
  results: ReturnType<typeof tallyResults>,
  questionId: string,
  optionId: string,
): string | undefined {
  const question = results.questions.find((q) => q.questionId === questionId)
  const option = question?.options.find((o) => o.id === optionId)
  if (!question || !option || question.type === 'text') return undefined
  const overall = `「${question.title}」${option.percent}%（${option.count}/${question.answered}）选择了「${option.label}」`
  const rows = results.crossTabs.find((c) => c.by === 'target_group' && c.questionId === questionId)?.rows ?? []
  const best = rows
    .map((r) => ({ group: r.group, count: r.counts[optionId] ?? 0, of: r.respondents ?? 0 }))
    .filter((r) => r.of > 0 && r.count > 0)
    .sort((a, b) => b.count / b.of - a.count / a.of)[0]
  if (!best) return overall
  const share = Math.round((best.count / best.of) * 1000) / 10
  return `${overall}；其中 ${share}% 的${best.group}（${best.count}/${best.of}）`
}

/**
 * What planning from a result (a need, an activity) rests on: only admins of the survey's organization may
 * plan from it (403 with `forbiddenDetail` else), and the full results must hold the option named, of a
 * choice or scale question (400 else). Resolves the survey and the evidence sentence.
 */
export async function planningEvidence(
  deps: SurveyDeps,
  actor: Actor,
  id: string,
  pick: { questionId: string; optionId: string },
  forbiddenDetail: string,
) {
  const survey = await visibleSurvey(deps, actor, id)
  const role = actor.roles[survey.organizationId]
  if (role !== 'owner' && role !== 'admin') throw forbidden(forbiddenDetail)
  const [responses, texts] = await Promise.all([responsesOf(deps.db, id), textsOf(deps.db, id)])
  const results = tallyResults({
    surveyId: id,
    title: survey.title,
    questions: survey.questions,
    responses,
    texts,
    suppress: false,
  })
  const evidence = evidenceOf(results, pick.questionId, pick.optionId)
  if (!evidence) throw badRequest('questionId and optionId must name an option of a choice or scale question.')
  return { survey, evidence }
}

/**
 * `POST /v1/surveys/:id/needs`: an admin of the survey's organization turns a result into a need. The need
 * is listings' (the needs board), so this records the link and appends `survey.need_requested`; listings
 * puts the need on the board from the feed, and discovery matches it with listings from there.
 */
export async function raiseNeed(deps: SurveyDeps, actor: Actor, id: string, body: SurveyNeedBody): Promise<SurveyNeed> {
  const { survey, evidence } = await planningEvidence(
    deps,
    actor,
    id,
    body,
    "Only admins of the survey's organization may raise needs from its results.",
  )
  const now = deps.clock.now()
  const needId = newId()
  await deps.db.transaction().execute(async (trx) => {
    await insertSurveyNeed(trx, {
      needId,
      surveyId: id,
      organizationId: survey.organizationId,
      questionId: body.questionId,
      optionId: body.optionId,
      evidence,
      fields: JSON.stringify(body.need),
      createdBy: actor.userId,
      createdAt: now,
    })
    await appendEvent(trx, {
      type: SURVEY_EVENTS.needRequested,
      entityId: needId,
      version: 1,
      payload: { needId, organizationId: survey.organizationId, surveyId: id, evidence, need: body.need },
    })
  })
  return {
    needId,
    surveyId: id,
    organizationId: survey.organizationId,
    questionId: body.questionId,
    optionId: body.optionId,
    evidence,
    createdAt: now.toISOString(),
  }
}

/** `GET /v1/surveys/:id/needs`: the needs raised from a survey (they are public on the board too). */
export async function surveyNeeds(
  deps: SurveyDeps,
  actor: Actor | null | undefined,
  id: string,
): Promise<SurveyNeed[]> {
  await visibleSurvey(deps, actor, id)
  const rows = await needsOfSurvey(deps.db, id)
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
}
