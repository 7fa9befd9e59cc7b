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
import { type Actor, CreateActivityBody, CreateEvaluationBody, type EvaluationDirection } from '@commons/contracts'
import { findUserByEmail, type ListingsDB } from '@commons/listings'
import type { Kysely } from 'kysely'
import { type ActivitySpec, DEMO_ACTIVITIES } from './activities-data.ts'
import { DEMO_ACCOUNTS } from './load.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

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
