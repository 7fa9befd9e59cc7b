import { randomUUID } from 'node:crypto'
import type { Question } from '@commons/contracts'
import { solveChallenge } from '../src/surveys/challenge.ts'
import { type Harness, type Person, person } from './helpers.ts'

/** The target-group question: who answered, the rows of every cross tabulation. */
export const groupQuestion: Question = {
  id: 'group',
  type: 'single',
  title: '您属于哪个群体？',
  required: true,
  role: 'target_group',
  options: [
    { id: 'elderly', label: '老年人' },
    { id: 'youth', label: '青少年' },
    { id: 'worker', label: '上班族' },
  ],
}

/** A survey body with every question type and both breakdown questions. */
export const surveyBody = (organizationId: string) => ({
  organizationId,
  title: '社区居民需求调查',
  allowAnonymous: true,
  questions: [
    groupQuestion,
    {
      id: 'district',
      type: 'single',
      title: '您住在哪个区？',
      role: 'district',
      options: [
        { id: 'pd', label: '浦东新区' },
        { id: 'hp', label: '黄浦区' },
      ],
    },
    {
      id: 'wants',
      type: 'multiple',
      title: '您最需要哪些服务？',
      required: true,
      options: [
        { id: 'phone', label: '智能手机培训', category: 'expertise' },
        { id: 'law', label: '法律咨询', category: 'expertise' },
        { id: 'room', label: '活动场地', category: 'venue' },
      ],
    },
    { id: 'score', type: 'scale', title: '您对社区服务的满意度' },
    { id: 'say', type: 'text', title: '还有什么想说的？' },
  ],
})

/** An organization's admin and a plain member (the grid worker), and a stranger. */
export async function people() {
  const org = randomUUID()
  return {
    org,
    admin: await person({ roles: { [org]: 'admin' } }),
    worker: await person({ roles: { [org]: 'member' } }),
    stranger: await person({ roles: { [randomUUID()]: 'owner' } }),
  }
}

export async function publishedSurvey(h: Harness, admin: Person, org: string) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/surveys',
    headers: admin.headers,
    payload: surveyBody(org),
  })
  if (created.statusCode !== 201) throw new Error(created.body)
  const id = created.json().id as string
  const published = await h.app.inject({
    method: 'POST',
    url: `/v1/surveys/${id}/publish`,
    headers: admin.headers,
    payload: { closesAt: '2026-12-31T00:00:00Z' },
  })
  if (published.statusCode !== 200) throw new Error(published.body)
  return id
}

/** Answers anonymously from a device, solving the form's challenge as the browser does. */
export async function answerAnonymously(
  h: Harness,
  id: string,
  answers: object,
  deviceId = randomUUID(),
  ip = '127.0.0.2',
) {
  const form = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}` })).json()
  const solution = solveChallenge(form.challenge.token, form.challenge.bits)
  return h.app.inject({
    method: 'POST',
    url: `/v1/surveys/${id}/responses`,
    remoteAddress: ip,
    payload: { answers, deviceId, challenge: { token: form.challenge.token, solution } },
  })
}
