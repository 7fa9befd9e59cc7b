import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { Activity, CreateActivityBody } from './community.ts'
import { ListingKind } from './listings.ts'
import { NeedFields } from './needs.ts'

/** single and multiple choice, a 1–5 scale, or a short text. */
export const QuestionType = z.enum(['single', 'multiple', 'scale', 'text']).meta({ id: 'QuestionType' })
export type QuestionType = z.infer<typeof QuestionType>

/**
 * What a question tells about the respondent, so results can be broken down: their target group (老年人,
 * 青少年, 新就业群体…) or their district. Such a question is a single choice.
 */
export const QuestionRole = z.enum(['target_group', 'district']).meta({ id: 'QuestionRole' })
export type QuestionRole = z.infer<typeof QuestionRole>

const Key = z
  .string()
  .regex(/^[a-z0-9_-]{1,32}$/)
  .describe('A short key, unique within its survey (question) or question (option)')

export const QuestionOption = z
  .strictObject({
    id: Key,
    label: z.string().trim().min(1).max(80),
    category: ListingKind.optional().describe('The kind of resource choosing this option asks for (overviews)'),
  })
  .meta({ id: 'QuestionOption' })
export type QuestionOption = z.infer<typeof QuestionOption>

export const Question = z
  .strictObject({
    id: Key,
    type: QuestionType,
    title: z.string().trim().min(1).max(200),
    required: z.boolean().default(false),
    role: QuestionRole.optional(),
    options: z.array(QuestionOption).max(30).default([]),
  })
  .superRefine((q, ctx) => {
    const choice = q.type === 'single' || q.type === 'multiple'
    if (choice && q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'at least 2' })
    if (!choice && q.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'choices only' })
    if (new Set(q.options.map((o) => o.id)).size !== q.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' })
    if (q.role && q.type !== 'single') ctx.addIssue({ code: 'custom', path: ['role'], message: 'single choice only' })
  })
  .meta({ id: 'Question' })
export type Question = z.infer<typeof Question>

const Questions = z
  .array(Question)
  .min(1)
  .max(50)
  .superRefine((qs, ctx) => {
    if (new Set(qs.map((q) => q.id)).size !== qs.length)
      ctx.addIssue({ code: 'custom', message: 'question ids must be unique' })
    for (const role of QuestionRole.options)
      if (qs.filter((q) => q.role === role).length > 1)
        ctx.addIssue({ code: 'custom', message: `at most one ${role} question` })
  })

/** `POST /v1/surveys`: a draft questionnaire of an organization (its admins). */
export const CreateSurveyBody = z
  .strictObject({
    organizationId: Id,
    title: z.string().trim().min(2).max(120),
    description: z.string().trim().max(2000).default(''),
    allowAnonymous: z.boolean().default(false).describe('Whether people may answer without signing in'),
    questions: Questions,
  })
  .meta({ id: 'CreateSurveyBody' })
export type CreateSurveyBody = z.infer<typeof CreateSurveyBody>

/** `POST /v1/surveys/:id/publish`: when answers are taken. */
export const PublishSurveyBody = z
  .strictObject({ opensAt: Instant.optional().describe('Default: now'), closesAt: Instant })
  .meta({ id: 'PublishSurveyBody' })
export type PublishSurveyBody = z.infer<typeof PublishSurveyBody>

export const SurveyStatus = z.enum(['draft', 'published']).meta({ id: 'SurveyStatus' })

/** A survey as its organization sees it, and as the public form shows it once published. */
export const Survey = z
  .object({
    id: Id,
    organizationId: Id,
    organizationName: z.string().nullable(),
    title: z.string(),
    description: z.string(),
    allowAnonymous: z.boolean(),
    questions: z.array(Question),
    status: SurveyStatus,
    opensAt: Instant.nullable(),
    closesAt: Instant.nullable(),
    open: z.boolean().describe('Whether answers are taken right now'),
    link: z.string().describe('Path of the public form, for the link and the QR code'),
    challenge: z
      .object({ token: z.string(), bits: z.number().int() })
      .nullable()
      .describe(
        'For anonymous answers: find a `solution` such that SHA-256 of `token:solution` starts with `bits` zero bits',
      ),
    version: z.number().int(),
    createdAt: Instant,
  })
  .meta({ id: 'Survey' })
export type Survey = z.infer<typeof Survey>

/** One answer: an option id, option ids, a 1–5 score or a text, by question type. */
export const AnswerValue = z.union([z.string().max(500), z.array(z.string().max(32)).max(30), z.number().int()])
export type AnswerValue = z.infer<typeof AnswerValue>

/**
 * `POST /v1/surveys/:id/responses`. Signed-in people answer once; anonymous people once per device (a
 * random id the form keeps) with a solved challenge; a grid worker (a member of the survey's organization)
 * enters a resident's answers with `onBehalf`, and the answer is marked as such.
 */
export const SubmitResponseBody = z
  .strictObject({
    answers: z.record(z.string(), AnswerValue),
    deviceId: z.string().min(16).max(64).optional(),
    challenge: z.object({ token: z.string().max(200), solution: z.string().max(64) }).optional(),
    onBehalf: z.boolean().default(false),
  })
  .meta({ id: 'SubmitResponseBody' })
export type SubmitResponseBody = z.infer<typeof SubmitResponseBody>

export const ResponseReceipt = z
  .object({ id: Id, surveyId: Id, enteredByGridWorker: z.boolean(), createdAt: Instant })
  .meta({ id: 'ResponseReceipt' })
export type ResponseReceipt = z.infer<typeof ResponseReceipt>

/** A count, or null where it is suppressed (fewer than 5 answers, shown beyond the survey's organization). */
const Count = z.number().int().nullable()
const Percent = z.number().nullable()

export const OptionResult = z
  .object({ id: z.string(), label: z.string(), count: Count, percent: Percent })
  .meta({ id: 'OptionResult' })

export const TextAnswer = z
  .object({ id: Id, text: z.string(), status: z.enum(['pending', 'approved', 'rejected']) })
  .meta({ id: 'TextAnswer' })
export type TextAnswer = z.infer<typeof TextAnswer>

export const QuestionResult = z
  .object({
    questionId: z.string(),
    title: z.string(),
    type: QuestionType,
    answered: Count,
    options: z.array(OptionResult).describe('Choices, and the scores 1–5 of a scale'),
    mean: z.number().nullable().describe('Scale questions'),
    texts: z.array(TextAnswer).describe('Text questions: all for the organization, approved ones for others'),
  })
  .meta({ id: 'QuestionResult' })
export type QuestionResult = z.infer<typeof QuestionResult>

/** One question's option counts within each group of respondents (target group or district). */
export const CrossTab = z
  .object({
    by: QuestionRole,
    questionId: z.string(),
    rows: z.array(
      z.object({
        group: z.string().describe('The label of the respondent group'),
        respondents: Count,
        counts: z.record(z.string(), Count).describe('Option id -> count'),
      }),
    ),
  })
  .meta({ id: 'CrossTab' })
export type CrossTab = z.infer<typeof CrossTab>

/** `GET /v1/surveys/:id/results`. */
export const SurveyResults = z
  .object({
    surveyId: Id,
    title: z.string(),
    responses: z.number().int(),
    gridWorkerEntries: z.number().int(),
    suppressed: z.boolean().describe('Whether cells under 5 answers are hidden (the viewer is not the organization)'),
    questions: z.array(QuestionResult),
    crossTabs: z.array(CrossTab),
  })
  .meta({ id: 'SurveyResults' })
export type SurveyResults = z.infer<typeof SurveyResults>

/** `PATCH /v1/surveys/:id/texts/:textId`: the organization approves or rejects a free-text answer. */
export const ModerateTextBody = z
  .strictObject({ status: z.enum(['approved', 'rejected']) })
  .meta({ id: 'ModerateTextBody' })

/**
 * `POST /v1/surveys/:id/needs`: turn a result (an option of a question) into a need on the needs board,
 * linked to the survey. The need is created by listings from the community feed.
 */
export const SurveyNeedBody = z
  .strictObject({
    questionId: z.string(),
    optionId: z.string(),
    need: NeedFields,
  })
  .meta({ id: 'SurveyNeedBody' })
export type SurveyNeedBody = z.infer<typeof SurveyNeedBody>

export const SurveyNeed = z
  .object({
    needId: Id,
    surveyId: Id,
    organizationId: Id,
    questionId: z.string(),
    optionId: z.string(),
    evidence: z.string().describe('The result the need rests on, e.g. "42% of 老年人 chose 智能手机培训"'),
    createdAt: Instant,
  })
  .meta({ id: 'SurveyNeed' })
export type SurveyNeed = z.infer<typeof SurveyNeed>

const { organizationId: _organizationId, ...draftActivityShape } = CreateActivityBody.shape

/**
 * `POST /v1/surveys/:id/activities`: turn a result (an option of a question) into a draft activity of the
 * survey's organization. The activity's description starts with the result it rests on.
 */
export const SurveyActivityBody = z
  .strictObject({
    questionId: z.string(),
    optionId: z.string(),
    activity: z
      .strictObject(draftActivityShape)
      .refine((a) => Date.parse(a.start) < Date.parse(a.end), { message: 'end must be after start', path: ['end'] })
      .refine((a) => Date.parse(a.signUpDeadline) <= Date.parse(a.start), {
        message: 'sign-ups must close by the start',
        path: ['signUpDeadline'],
      }),
  })
  .meta({ id: 'SurveyActivityBody' })
export type SurveyActivityBody = z.infer<typeof SurveyActivityBody>

/** A draft activity raised from a survey result, with the result it rests on. */
export const SurveyActivity = z
  .object({
    surveyId: Id,
    questionId: z.string(),
    optionId: z.string(),
    evidence: z.string(),
    activity: Activity,
  })
  .meta({ id: 'SurveyActivity' })
export type SurveyActivity = z.infer<typeof SurveyActivity>
