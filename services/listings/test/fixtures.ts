import { createDb, rowCounts } from '@commons/db'
import type { App } from '@commons/service-kit'
import type { Test } from 'tap'
import type { DB } from '../src/db/schema.ts'
import { systemClock } from '../src/deps.ts'
import { setModerator } from '../src/moderation/moderation.service.ts'
import { bearer, signUp } from './helpers.ts'

/** A valid venue listing body. */
export const venueBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'venue',
  title: '社区党群服务中心多功能厅',
  description: '可容纳 60 人，适合讲座、培训和居民议事。',
  tags: ['讲座', '议事'],
  location: { city: '上海', district: '浦东新区', address: '浦东新区张杨路 1550 号', lat: 31.2304, lng: 121.5273 },
  capacity: 60,
  areaSqm: 120,
  amenities: ['projector', 'wifi', 'accessible'],
  availability: { timezone: 'Asia/Shanghai', weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
  ...overrides,
})

/** A valid online expertise listing body. */
export const expertiseBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'expertise',
  title: '社会组织财务规范讲座',
  location: { city: '深圳', district: '福田区' },
  topics: ['财务', '合规'],
  formats: ['talk'],
  delivery: 'online',
  ...overrides,
})

/** A valid volunteer time listing body. */
export const volunteerBody = (overrides: Record<string, unknown> = {}) => ({
  kind: 'volunteer_time',
  title: '周末助老志愿服务',
  location: { city: '重庆', district: '渝中区' },
  skills: ['陪伴', '健康宣教'],
  monthlyHourCap: 20,
  ...overrides,
})

/** A database handle on the test's database (closed on teardown), for looking behind the API. */
export function testDb(t: Test, databaseUrl: string) {
  const db = createDb<DB>({ url: databaseUrl, schema: 'listings', poolMax: 2 })
  t.teardown(() => db.destroy())
  return db
}

/** A signed-up moderator (granted through the CLI's function) and their fresh token. */
export async function moderator(app: App, databaseUrl: string, t: Test) {
  const session = await signUp(app)
  const db = testDb(t, databaseUrl)
  await setModerator({ db, clock: systemClock }, session.user.email, true)
  const login = await app.inject({
    method: 'POST',
    url: '/v1/auth/refresh',
    payload: { refreshToken: session.refreshToken },
  })
  return {
    user: session.user,
    displayName: (session.user as { displayName?: string }).displayName,
    token: login.json().accessToken as string,
  }
}

/** Creates a listing through the API; returns its body. */
export async function createListing(app: App, token: string, organizationId: string, body: object = venueBody()) {
  const res = await app.inject({
    method: 'POST',
    url: `/v1/organizations/${organizationId}/listings`,
    headers: bearer(token),
    payload: body,
  })
  if (res.statusCode !== 201) throw new Error(`create listing failed: ${res.body}`)
  return res.json() as { id: string; version: number; status: string; organizationId: string }
}

/** Runs a lifecycle action through the API. */
export const act = (app: App, token: string | undefined, id: string, action: string) =>
  app.inject({ method: 'POST', url: `/v1/listings/${id}/${action}`, headers: token ? bearer(token) : {} })

/** Counts of rows behind the API, to show a refused request wrote nothing. */
export const counts = (db: ReturnType<typeof testDb>) => rowCounts(db, ['events', 'listings', 'needs', 'auditLog'])

/** Events of one entity, oldest first. */
export function eventsOf(db: ReturnType<typeof testDb>, entityId: string) {
  return db
    .selectFrom('events')
    .select(['type', 'version', 'payload'])
    .where('entityId', '=', entityId)
    .orderBy('id')
    .execute()
}
