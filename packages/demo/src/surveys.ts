import { type CommunityDB, createSurvey, publishSurvey, type SurveyDeps, submitResponse } from '@commons/community'
import type { Actor, CreateSurveyBody } from '@commons/contracts'
import { confirmChild, findUserByEmail, type ListingsDB, requestParent, systemClock } from '@commons/listings'
import type { Kysely } from 'kysely'
import { DEMO_ORGANIZATIONS } from './catalogue.ts'
import { DEMO_ACCOUNTS } from './load.ts'

/** Parent -> children among the demo organizations (a street's party centre over the groups around it). */
export const DEMO_HIERARCHY: Record<string, string[]> = {
  lujiazui: ['rihui', 'wujiaochang', 'yixin', 'zhangjiang'],
  lianhua: ['dongmen', 'futian-law'],
}

const GROUPS = [
  { id: 'elderly', label: '老年人' },
  { id: 'youth', label: '青少年' },
  { id: 'workers', label: '上班族' },
  { id: 'migrants', label: '新就业群体' },
]
const DISTRICTS = [
  { id: 'xuhui', label: '徐汇区' },
  { id: 'yangpu', label: '杨浦区' },
  { id: 'pudong', label: '浦东新区' },
  { id: 'huangpu', label: '黄浦区' },
]
const WANTS = [
  { id: 'phone', label: '智能手机培训', category: 'expertise' },
  { id: 'law', label: '法律咨询', category: 'expertise' },
  { id: 'room', label: '活动场地', category: 'venue' },
  { id: 'care', label: '助老陪伴', category: 'volunteer_time' },
  { id: 'tutor', label: '课后辅导', category: 'volunteer_time' },
] as const

/** How likely each group is to ask for each service: the shape the generated answers follow. */
const APPETITE: Record<string, Record<string, number>> = {
  elderly: { phone: 0.7, law: 0.2, room: 0.3, care: 0.6, tutor: 0.05 },
  youth: { phone: 0.05, law: 0.1, room: 0.6, care: 0.1, tutor: 0.5 },
  workers: { phone: 0.1, law: 0.4, room: 0.3, care: 0.2, tutor: 0.5 },
  migrants: { phone: 0.2, law: 0.6, room: 0.2, care: 0.05, tutor: 0.3 },
}
const REMARKS = [
  '希望周末也能开放活动室',
  '老人用手机挂号很难，盼望有人教',
  '孩子放学后没人照看',
  '想了解劳动合同方面的法律知识',
]

const survey = (organizationId: string, title: string, description: string): CreateSurveyBody => ({
  organizationId,
  title,
  description,
  allowAnonymous: true,
  questions: [
    { id: 'group', type: 'single', title: '您属于哪个群体？', required: true, role: 'target_group', options: GROUPS },
    { id: 'district', type: 'single', title: '您住在哪个区？', required: true, role: 'district', options: DISTRICTS },
    {
      id: 'wants',
      type: 'multiple',
      title: '您最需要哪些服务？',
      required: true,
      options: WANTS.map((w) => ({ ...w })),
    },
    { id: 'score', type: 'scale', title: '您对社区现有服务的满意度', required: false, options: [] },
    { id: 'say', type: 'text', title: '还有什么想说的？', required: false, options: [] },
  ],
})

/** A small seeded generator, so every demo load has the same answers. */
function random(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let x = Math.imul(s ^ (s >>> 15), 1 | s)
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x)
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

function answersFor(next: () => number, home: string, i: number) {
  const group = GROUPS[Math.floor(next() * GROUPS.length)]!.id
  // Most people answering a residents' committee live in its district.
  const district = next() < 0.7 ? home : DISTRICTS[Math.floor(next() * DISTRICTS.length)]!.id
  let wants = WANTS.filter((w) => next() < (APPETITE[group]?.[w.id] ?? 0)).map((w) => w.id)
  if (wants.length === 0) wants = [WANTS[Math.floor(next() * WANTS.length)]!.id]
  const answers: Record<string, string | string[] | number> = {
    group,
    district,
    wants,
    score: 2 + Math.floor(next() * 4),
  }
  if (i % 23 === 0) answers.say = REMARKS[(i / 23) % REMARKS.length]!
  return answers
}

/**
 * The organization hierarchy over the demo organizations, and two published needs surveys with a few
 * hundred answers entered by grid workers in the demo districts. Runs once, after `loadDemoData` and once
 * the community service has migrated its schema (so after every service is ready); does nothing when the
 * demo surveys exist. Goes through the services' own use cases.
 */
export async function loadDemoSurveys(
  listings: Kysely<ListingsDB>,
  community: Kysely<CommunityDB>,
): Promise<{ loaded: boolean; surveys: number; answers: number }> {
  const organizer = await findUserByEmail(listings, DEMO_ACCOUNTS.organizer.email)
  if (!organizer) return { loaded: false, surveys: 0, answers: 0 }
  const names = new Map(DEMO_ORGANIZATIONS.map((o) => [o.name, o.key]))
  const rows = await listings
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('name', 'in', [...names.keys()])
    .execute()
  const orgId = new Map(rows.map((r) => [names.get(r.name) ?? '', r.id]))
  const rihui = orgId.get('rihui')
  const wujiaochang = orgId.get('wujiaochang')
  if (!rihui || !wujiaochang) return { loaded: false, surveys: 0, answers: 0 }
  const existing = await community
    .selectFrom('surveys')
    .select('id')
    .where('organizationId', 'in', [rihui, wujiaochang])
    .executeTakeFirst()
  if (existing) return { loaded: false, surveys: 0, answers: 0 }

  // The organizer owns every demo organization, so it asks for each link and confirms it.
  const owner = (...ids: string[]): Actor => ({
    userId: organizer.id,
    roles: Object.fromEntries(ids.map((id) => [id, 'owner' as const])),
    moderator: false,
  })
  for (const [parentKey, children] of Object.entries(DEMO_HIERARCHY)) {
    const parentId = orgId.get(parentKey)
    if (!parentId) continue
    for (const childKey of children) {
      const childId = orgId.get(childKey)
      if (!childId) continue
      await requestParent({ db: listings, clock: systemClock }, owner(childId), childId, parentId)
      await confirmChild({ db: listings, clock: systemClock }, owner(parentId), parentId, childId)
    }
  }

  const deps: SurveyDeps = {
    db: community,
    clock: { now: () => new Date() },
    // Only answers entered by grid workers are loaded, so no challenge is ever issued or checked here.
    challenge: { secret: 'demo', bits: 0, ttlMs: 0 },
    anonymousPerHour: 1,
  }
  const plans = [
    {
      org: rihui,
      home: 'xuhui',
      count: 180,
      seed: 19,
      title: '日晖新村居民需求调查',
      about: '了解居民最需要的服务，安排明年的活动和场地。',
    },
    {
      org: wujiaochang,
      home: 'yangpu',
      count: 140,
      seed: 23,
      title: '政立路居民区为老服务需求调查',
      about: '网格员入户走访，了解老年人和家庭的需求。',
    },
  ]
  let answers = 0
  for (const plan of plans) {
    const actor = owner(plan.org)
    const created = await createSurvey(deps, actor, survey(plan.org, plan.title, plan.about))
    const now = Date.now()
    await publishSurvey(deps, actor, created.id, {
      opensAt: new Date(now - 7 * 86_400_000).toISOString(),
      closesAt: new Date(now + 30 * 86_400_000).toISOString(),
    })
    const next = random(plan.seed)
    for (let i = 0; i < plan.count; i++) {
      await submitResponse(deps, actor, created.id, { answers: answersFor(next, plan.home, i), onBehalf: true }, '')
      answers++
    }
  }
  return { loaded: true, surveys: plans.length, answers }
}
