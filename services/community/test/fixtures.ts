import { randomUUID } from 'node:crypto'
import type { Harness, Person } from './helpers.ts'
import { person } from './helpers.ts'

/** The host organization of a test, replicated as listings would announce it, and one of its admins. */
export async function hostOrganization(h: Harness, name = '阳光社区居委会') {
  const id = randomUUID()
  await h.emitListings({
    type: 'organization.updated',
    entityId: id,
    version: 1,
    payload: {
      organization: {
        id,
        name,
        kind: 'residents_committee',
        district: '浦东新区',
        city: '上海',
        description: '',
        verified: true,
        version: 1,
        createdAt: '2026-11-01T00:00:00Z',
        updatedAt: '2026-11-01T00:00:00Z',
      },
    },
  })
  const admin = await person({ roles: { [id]: 'admin' } })
  const member = await person({ roles: { [id]: 'member' } })
  return { id, admin, member }
}

/** A valid activity body, a week after the harness clock's default. */
export function activityBody(organizationId: string, over: Record<string, unknown> = {}) {
  return {
    organizationId,
    title: '育儿讲座：如何陪伴孩子成长',
    description: '社区儿科医生主讲，欢迎家长参加。',
    category: 'lecture',
    targetGroups: ['residents', 'youth'],
    start: '2026-12-08T02:00:00Z',
    end: '2026-12-08T04:00:00Z',
    place: { kind: 'address', district: '浦东新区', address: '张杨路 100 号 社区活动中心' },
    capacity: 30,
    volunteerPlaces: 3,
    volunteerSkills: ['签到', '引导'],
    signUpDeadline: '2026-12-07T12:00:00Z',
    ...over,
  }
}

/** Creates and publishes an activity through the API; returns its JSON. */
export async function publishedActivity(
  h: Harness,
  host: { id: string; admin: Person },
  over: Record<string, unknown> = {},
) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/activities',
    headers: host.admin.headers,
    payload: activityBody(host.id, over),
  })
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`)
  const published = await h.app.inject({
    method: 'POST',
    url: `/v1/activities/${created.json().id}/publish`,
    headers: host.admin.headers,
  })
  if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`)
  return published.json()
}

/** Signs a person up; returns the raw response. */
export function signUp(
  h: Harness,
  activityId: string,
  who: Person,
  role: 'attendee' | 'volunteer' = 'attendee',
  headers: Record<string, string> = {},
) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/activities/${activityId}/registrations`,
    headers: { ...who.headers, ...headers },
    payload: { role, displayName: '居民' },
  })
}

/**
 * An activity that was held: published, `attendees` and `volunteers` signed up and checked in, the clock
 * moved to its end and the end job run. Returns the activity and the people.
 */
export async function heldActivity(
  h: Harness,
  host: { id: string; admin: Person },
  opts: { attendees: number; volunteers: number; day?: string },
) {
  const day = opts.day ?? '2026-12-08'
  h.clock.set(`${day}T00:00:00Z`)
  h.clock.advance(-3 * 24 * 3600_000)
  const activity = await publishedActivity(h, host, {
    start: `${day}T02:00:00Z`,
    end: `${day}T04:00:00Z`,
    signUpDeadline: `${day}T01:00:00Z`,
    capacity: Math.max(1, opts.attendees),
    volunteerPlaces: opts.volunteers,
  })
  const attendees = await Promise.all(Array.from({ length: opts.attendees }, () => person()))
  const volunteers = await Promise.all(Array.from({ length: opts.volunteers }, () => person()))
  const codes: string[] = []
  for (const a of attendees) codes.push((await signUp(h, activity.id, a)).json().code)
  for (const v of volunteers) codes.push((await signUp(h, activity.id, v, 'volunteer')).json().code)
  h.clock.set(`${day}T01:55:00Z`)
  for (const code of codes) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/activities/${activity.id}/check-ins`,
      headers: host.admin.headers,
      payload: { code },
    })
    if (res.statusCode !== 200) throw new Error(`check-in: ${res.body}`)
  }
  h.clock.set(`${day}T04:00:00Z`)
  await h.app.community.runDueJobs()
  return { activity, attendees, volunteers }
}

/** Submits an evaluation; returns the raw response. */
export function evaluate(h: Harness, who: Person, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: '/v1/evaluations', headers: who.headers, payload: body })
}
