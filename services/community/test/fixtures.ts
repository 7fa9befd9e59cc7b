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
