import { randomUUID } from 'node:crypto'
import {
  type CommunityDB,
  checkIn,
  closeEvaluationWindow,
  createActivity,
  endActivity,
  publishActivity,
  signUp,
  submitEvaluation,
  useCaseDeps,
} from '@commons/community'
import {
  type Actor,
  CreateActivityBody,
  CreateEvaluationBody,
  type EvaluationDirection,
  type TargetGroup,
} from '@commons/contracts'
import { findUserByEmail, type ListingsDB } from '@commons/listings'
import type { Kysely } from 'kysely'
import { DEMO_ACCOUNTS } from './load.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** One demo activity: when relative to now (days, Shanghai hour), and what happened at it. */
interface ActivitySpec {
  host: string
  title: string
  description: string
  category: CreateActivityBody['category']
  targetGroups: TargetGroup[]
  district: string
  address: string
  days: number
  hour: number
  hours: number
  capacity: number
  volunteerPlaces: number
  volunteerSkills?: string[]
  /** Past ones: residents who came (and rated the host this score), volunteers who served. */
  held?: { attendees: number; volunteers: number; score: number; comment: string }
  /** The demo member (李秀英) signs up (upcoming) or came and has not evaluated yet (past). */
  member?: boolean
}

/** A dozen activities around the demo organizations: some held with evaluations, some this week. */
export const DEMO_ACTIVITIES: ActivitySpec[] = [
  {
    host: '陆家嘴街道党群服务中心',
    title: '智能手机课堂：教老人用手机挂号',
    description: '志愿者一对一教老人用手机挂号、付款和视频通话，请带上自己的手机。',
    category: 'training',
    targetGroups: ['elderly'],
    district: '浦东新区',
    address: '陆家嘴环路 1000 号 党群服务中心二楼',
    days: -30,
    hour: 9,
    hours: 2,
    capacity: 20,
    volunteerPlaces: 3,
    volunteerSkills: ['手机教学'],
    held: { attendees: 12, volunteers: 3, score: 5, comment: '志愿者很耐心，学会了在手机上挂号。' },
  },
  {
    host: '陆家嘴街道党群服务中心',
    title: '主题党日：红色足迹寻访',
    description: '走访辖区红色遗址，党员志愿者讲解党史故事。',
    category: 'outing',
    targetGroups: ['party_members', 'residents'],
    district: '浦东新区',
    address: '陆家嘴环路 1000 号 集合',
    days: -3,
    hour: 14,
    hours: 3,
    capacity: 30,
    volunteerPlaces: 2,
    volunteerSkills: ['讲解'],
    held: { attendees: 8, volunteers: 2, score: 4, comment: '讲解生动，路线安排合理。' },
    member: true,
  },
  {
    host: '斜土街道日晖新村居民委员会',
    title: '社区义剪：为老人上门理发',
    description: '理发志愿者在活动室为老人免费理发，行动不便的可以预约上门。',
    category: 'service',
    targetGroups: ['elderly', 'residents'],
    district: '徐汇区',
    address: '日晖新村 12 号 居委会活动室',
    days: -20,
    hour: 9,
    hours: 3,
    capacity: 25,
    volunteerPlaces: 4,
    volunteerSkills: ['理发'],
    held: { attendees: 15, volunteers: 4, score: 5, comment: '理得很好，下次还来。' },
  },
  {
    host: '黄浦区妇女联合会巾帼家园',
    title: '亲子阅读会：绘本里的四季',
    description: '家长和孩子一起读绘本、做手工，适合 4 到 8 岁的孩子。',
    category: 'culture',
    targetGroups: ['youth', 'residents'],
    district: '黄浦区',
    address: '复兴中路 300 号 巾帼家园三楼',
    days: -12,
    hour: 10,
    hours: 2,
    capacity: 16,
    volunteerPlaces: 2,
    volunteerSkills: ['绘本讲读'],
    held: { attendees: 10, volunteers: 2, score: 4, comment: '孩子很喜欢，就是场地有点挤。' },
  },
  {
    host: '陆家嘴街道党群服务中心',
    title: '防电信诈骗讲座',
    description: '社区民警讲解常见诈骗手法，现场教大家安装国家反诈中心应用。',
    category: 'lecture',
    targetGroups: ['elderly', 'residents'],
    district: '浦东新区',
    address: '陆家嘴环路 1000 号 党群服务中心多功能厅',
    days: 1,
    hour: 14,
    hours: 2,
    capacity: 60,
    volunteerPlaces: 2,
    volunteerSkills: ['签到', '引导'],
    member: true,
  },
  {
    host: '斜土街道日晖新村居民委员会',
    title: '独居老人陪伴日',
    description: '两人一组上门陪独居老人聊天、读报，帮忙检查家里的用电安全。',
    category: 'companionship',
    targetGroups: ['elderly'],
    district: '徐汇区',
    address: '日晖新村 12 号 居委会集合',
    days: 2,
    hour: 14,
    hours: 3,
    capacity: 12,
    volunteerPlaces: 8,
    volunteerSkills: ['陪伴', '用电安全'],
  },
  {
    host: '共青团静安区委青年中心',
    title: '青年白领午间篮球赛',
    description: '园区白领三对三篮球赛，欢迎组队或个人报名。',
    category: 'sports',
    targetGroups: ['white_collar', 'youth'],
    district: '静安区',
    address: '江宁路 500 号 青年中心篮球场',
    days: 3,
    hour: 12,
    hours: 2,
    capacity: 36,
    volunteerPlaces: 3,
    volunteerSkills: ['裁判', '记分'],
  },
  {
    host: '杨浦区益心社会工作服务社',
    title: '周末陪伴留守儿童',
    description: '和随迁及留守儿童一起写作业、做游戏，需要有耐心的志愿者。',
    category: 'companionship',
    targetGroups: ['left_behind_children'],
    district: '杨浦区',
    address: '控江路 800 号 益心服务站',
    days: 5,
    hour: 9,
    hours: 4,
    capacity: 20,
    volunteerPlaces: 6,
    volunteerSkills: ['课业辅导', '陪伴'],
  },
  {
    host: '福田区莲花街道党群服务中心',
    title: '来深建设者法律咨询日',
    description: '律师现场解答劳动合同、欠薪和工伤问题，农民工朋友免费参加。',
    category: 'service',
    targetGroups: ['migrant_workers'],
    district: '福田区',
    address: '莲花路 2000 号 党群服务中心一楼',
    days: 4,
    hour: 19,
    hours: 2,
    capacity: 40,
    volunteerPlaces: 2,
    volunteerSkills: ['法律咨询'],
  },
  {
    host: '南山区粤海街道总工会职工之家',
    title: '职工应急救护培训',
    description: '持证导师教心肺复苏和 AED 使用，结业可申请救护员证。',
    category: 'training',
    targetGroups: ['white_collar'],
    district: '南山区',
    address: '科技园南区 职工之家培训室',
    days: 8,
    hour: 14,
    hours: 3,
    capacity: 30,
    volunteerPlaces: 0,
  },
  {
    host: '渝中区解放碑街道党群服务中心',
    title: '重阳节百家宴',
    description: '社区老人和志愿者一起包饺子、吃百家宴。',
    category: 'culture',
    targetGroups: ['elderly', 'residents'],
    district: '渝中区',
    address: '解放碑民族路 100 号 党群服务中心',
    days: 10,
    hour: 10,
    hours: 4,
    capacity: 50,
    volunteerPlaces: 10,
    volunteerSkills: ['厨艺', '摄影'],
  },
  {
    host: '南岸区南坪街道阳光社区居委会',
    title: '垃圾分类宣讲进小区',
    description: '党员志愿者讲解垃圾分类，现场换购环保袋。',
    category: 'lecture',
    targetGroups: ['residents', 'party_members'],
    district: '南岸区',
    address: '南坪阳光社区 广场',
    days: 6,
    hour: 19,
    hours: 2,
    capacity: 80,
    volunteerPlaces: 4,
    volunteerSkills: ['宣讲'],
  },
]

/** The Shanghai wall-clock `hour` on the day `days` from now, as an instant. */
function shanghaiDay(days: number, hour: number): Date {
  const date = new Date(Date.now() + 8 * HOUR + days * DAY).toISOString().slice(0, 10)
  return new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`)
}

/**
 * Loads the demo activities through community's own use cases, after the listings demo data: the host
 * organizations must have reached community's replica first (waited for up to `waitMs`). Held activities
 * are played through at their own times (a clock per step): sign-ups, check-ins, the end (volunteer hours
 * credited), evaluations in all three directions. Idempotent: nothing happens when any activity exists.
 */
export async function loadDemoActivities(
  db: Kysely<CommunityDB>,
  listingsDb: Kysely<ListingsDB>,
  log: (line: string) => void = () => {},
  waitMs = 60_000,
): Promise<{ loaded: boolean; activities: number }> {
  if (await db.selectFrom('activities').select('id').limit(1).executeTakeFirst())
    return { loaded: false, activities: 0 }
  const organizer = await findUserByEmail(listingsDb, DEMO_ACCOUNTS.organizer.email)
  const member = await findUserByEmail(listingsDb, DEMO_ACCOUNTS.member.email)
  if (!organizer || !member) return { loaded: false, activities: 0 }
  const names = [...new Set(DEMO_ACTIVITIES.map((a) => a.host))]
  const deadline = Date.now() + waitMs
  let hosts = new Map<string, string>()
  for (;;) {
    const rows = await db.selectFrom('organizations').select(['id', 'name']).where('name', 'in', names).execute()
    hosts = new Map(rows.map((r) => [r.name, r.id]))
    if (hosts.size === names.length) break
    if (Date.now() > deadline) {
      log('demo activities skipped: the organizations had not reached the community service')
      return { loaded: false, activities: 0 }
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }

  let now = new Date()
  const deps = useCaseDeps(db, { now: () => now })
  const residentActor = (userId: string): Actor => ({ userId, roles: {}, moderator: false })
  const memberActor = residentActor(member.id)
  let count = 0
  for (const spec of DEMO_ACTIVITIES) {
    const orgId = hosts.get(spec.host) as string
    const host: Actor = { userId: organizer.id, roles: { [orgId]: 'owner' }, moderator: false }
    const start = shanghaiDay(spec.days, spec.hour)
    const end = new Date(start.getTime() + spec.hours * HOUR)
    // Created and published a week before it starts (or now, for the upcoming ones).
    now = new Date(Math.min(Date.now(), start.getTime() - 7 * DAY))
    const body = CreateActivityBody.parse({
      organizationId: orgId,
      title: spec.title,
      description: spec.description,
      category: spec.category,
      targetGroups: spec.targetGroups,
      start: start.toISOString(),
      end: end.toISOString(),
      place: { kind: 'address', district: spec.district, address: spec.address },
      capacity: spec.capacity,
      volunteerPlaces: spec.volunteerPlaces,
      volunteerSkills: spec.volunteerSkills ?? [],
      signUpDeadline: new Date(start.getTime() - HOUR).toISOString(),
    })
    // A held activity is played through here, step by step: its end job, queued now, would be due at once
    // (its end has passed) and end it in the service before anyone checked in.
    const steps = spec.held ? withoutJobs(deps) : deps
    const created = await createActivity(steps, host, body)
    await publishActivity(steps, host, created.id)
    count += 1
    if (!spec.held) {
      if (spec.member)
        await signUp(deps, memberActor, created.id, { role: 'attendee', partyMember: false, displayName: '李秀英' })
      continue
    }
    await playHeld(
      deps,
      steps,
      { id: created.id, host, start, end, held: spec.held, member: spec.member ? memberActor : null },
      (at) => {
        now = at
      },
    )
  }
  log(`demo activities loaded: ${count} activities`)
  return { loaded: true, activities: count }
}

type Deps = ReturnType<typeof useCaseDeps>

/** The deps with a job queue that queues nothing (the caller runs those steps itself). */
function withoutJobs(deps: Deps): Deps {
  return {
    ...deps,
    jobs: {
      ...deps.jobs,
      enqueue: async (_trx, task, _payload, opts) => ({
        id: '0',
        task,
        runAt: opts?.runAt ?? deps.clock.now(),
        key: opts?.key ?? null,
      }),
      cancel: async () => false,
    },
  }
}

/** Plays a held activity through: sign-ups, check-ins, the end, and evaluations in every direction. */
async function playHeld(
  deps: Deps,
  steps: Deps,
  a: {
    id: string
    host: Actor
    start: Date
    end: Date
    held: NonNullable<ActivitySpec['held']>
    member: Actor | null
  },
  setNow: (at: Date) => void,
) {
  const attendees = Array.from({ length: a.held.attendees }, () => randomUUID())
  const volunteers = Array.from({ length: a.held.volunteers }, () => randomUUID())
  const codes: string[] = []
  const sign = async (userId: string, role: 'attendee' | 'volunteer', displayName: string) => {
    const { registration } = await signUp(steps, { userId, roles: {}, moderator: false }, a.id, {
      role,
      partyMember: role === 'volunteer',
      displayName,
    })
    codes.push(registration.code)
  }
  for (const [i, id] of attendees.entries()) await sign(id, 'attendee', `居民${i + 1}`)
  for (const [i, id] of volunteers.entries()) await sign(id, 'volunteer', `志愿者${i + 1}`)
  if (a.member) await sign(a.member.userId, 'attendee', '李秀英')
  setNow(new Date(a.start.getTime() - 10 * 60_000))
  for (const code of codes) await checkIn(steps, a.host, a.id, { code })
  setNow(a.end)
  // Its window-close job would be due at once for an activity held over 14 days ago, and close the window
  // in the service before the evaluations below: that one is closed here instead.
  const close = new Date(a.end.getTime() + 14 * DAY + 60_000)
  const closed = close.getTime() <= Date.now()
  await endActivity(closed ? steps : deps, a.id)
  // Evaluations the day after; the demo member's is left for her to give.
  setNow(new Date(a.end.getTime() + DAY))
  const evaluate = (userId: string, direction: EvaluationDirection, score: number, extra: object = {}) =>
    submitEvaluation(
      deps,
      userId === a.host.userId ? a.host : { userId, roles: {}, moderator: false },
      CreateEvaluationBody.parse({ activityId: a.id, direction, score, ...extra }),
    )
  for (const [i, id] of attendees.entries()) {
    await evaluate(id, 'attendee_to_host', i === 0 ? a.held.score : Math.max(3, a.held.score - (i % 2)), {
      ...(i === 0 && { comment: a.held.comment }),
    })
  }
  for (const id of volunteers) {
    await evaluate(id, 'volunteer_to_host', 5, { comment: '组织有序，保障到位。' })
    await evaluate(a.host.userId, 'host_to_volunteer', 5, { subjectUserId: id, comment: '准时到岗，认真负责。' })
  }
  // Past the 14-day window, what was said is published (the service's job would do the same).
  if (closed) {
    setNow(close)
    await closeEvaluationWindow(deps, a.id)
  }
}
