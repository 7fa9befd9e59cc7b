import t from 'tap'
import { activityBody, evaluate, hostOrganization, publishedActivity, signUp } from './fixtures.ts'
import { type Harness, type Person, person, testApp } from './helpers.ts'

/** Every route as anonymous, stranger, attendee, volunteer, host admin and moderator. */
type Role = 'anonymous' | 'stranger' | 'attendee' | 'volunteer' | 'host' | 'moderator'
const ROLES: Role[] = ['anonymous', 'stranger', 'attendee', 'volunteer', 'host', 'moderator']

interface World {
  h: Harness
  host: { id: string; admin: Person }
  people: Record<Exclude<Role, 'anonymous'>, Person>
}

/** A published activity the attendee and the volunteer signed up for; `held`: checked in, ended. */
async function activityOf(w: World, opts: { held?: boolean; draft?: boolean } = {}) {
  const { h, host, people } = w
  h.clock.set('2026-12-01T00:00:00Z')
  if (opts.draft) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: host.admin.headers,
      payload: activityBody(host.id),
    })
    return { activity: res.json(), codes: {} as Record<string, string> }
  }
  const activity = await publishedActivity(h, host)
  const codes = {
    attendee: (await signUp(h, activity.id, people.attendee)).json().code as string,
    volunteer: (await signUp(h, activity.id, people.volunteer, 'volunteer')).json().code as string,
  }
  if (opts.held) {
    h.clock.set('2026-12-08T01:55:00Z')
    for (const code of Object.values(codes)) {
      await h.app.inject({
        method: 'POST',
        url: `/v1/activities/${activity.id}/check-ins`,
        headers: host.admin.headers,
        payload: { code },
      })
    }
    h.clock.set('2026-12-08T04:00:00Z')
    await h.app.community.runDueJobs()
  }
  return { activity, codes }
}

interface Row {
  name: string
  expect: Record<Role, number>
  /** Builds the request for a role (fresh state where the call changes it). */
  request(
    w: World,
    role: Role,
  ): Promise<{
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
    url: string
    payload?: unknown
    headers?: Record<string, string>
  }>
}

const all = (status: number): Record<Role, number> =>
  Object.fromEntries(ROLES.map((r) => [r, status])) as Record<Role, number>
const statuses = (...s: number[]): Record<Role, number> =>
  Object.fromEntries(ROLES.map((r, i) => [r, s[i] as number])) as Record<Role, number>

const ROWS: Row[] = [
  {
    name: 'POST /v1/activities',
    expect: statuses(401, 403, 403, 403, 201, 403),
    request: async (w) => ({ method: 'POST', url: '/v1/activities', payload: activityBody(w.host.id) }),
  },
  {
    name: 'GET /v1/activities',
    expect: all(200),
    request: async () => ({ method: 'GET', url: '/v1/activities' }),
  },
  {
    name: 'GET /v1/activities/:id',
    expect: all(200),
    request: async (w) => ({ method: 'GET', url: `/v1/activities/${(await activityOf(w)).activity.id}` }),
  },
  {
    name: 'GET /v1/activities/:id (draft)',
    expect: statuses(404, 404, 404, 404, 200, 200),
    request: async (w) => ({
      method: 'GET',
      url: `/v1/activities/${(await activityOf(w, { draft: true })).activity.id}`,
    }),
  },
  {
    name: 'PATCH /v1/activities/:id',
    expect: statuses(401, 403, 403, 403, 200, 403),
    request: async (w) => {
      const { activity } = await activityOf(w)
      return {
        method: 'PATCH',
        url: `/v1/activities/${activity.id}`,
        payload: { capacity: 60 },
        headers: { 'if-match': `"${activity.version}"` },
      }
    },
  },
  {
    name: 'POST /v1/activities/:id/publish',
    expect: statuses(401, 404, 404, 404, 200, 403),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/activities/${(await activityOf(w, { draft: true })).activity.id}/publish`,
    }),
  },
  {
    name: 'POST /v1/activities/:id/cancel',
    expect: statuses(401, 403, 403, 403, 200, 200),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/activities/${(await activityOf(w)).activity.id}/cancel`,
      payload: { reason: '场地临时维修' },
    }),
  },
  {
    name: 'POST /v1/activities/:id/registrations',
    expect: statuses(401, 201, 409, 409, 201, 201),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/activities/${(await activityOf(w)).activity.id}/registrations`,
      payload: { role: 'attendee', displayName: '居民' },
    }),
  },
  {
    name: 'DELETE /v1/activities/:id/registrations/me',
    expect: statuses(401, 404, 204, 204, 404, 404),
    request: async (w) => ({
      method: 'DELETE',
      url: `/v1/activities/${(await activityOf(w)).activity.id}/registrations/me`,
    }),
  },
  {
    name: 'GET /v1/activities/:id/registrations',
    expect: statuses(401, 404, 404, 404, 200, 200),
    request: async (w) => ({ method: 'GET', url: `/v1/activities/${(await activityOf(w)).activity.id}/registrations` }),
  },
  {
    name: 'GET /v1/activities/:id/registrations/me',
    expect: statuses(401, 404, 200, 200, 404, 404),
    request: async (w) => ({
      method: 'GET',
      url: `/v1/activities/${(await activityOf(w)).activity.id}/registrations/me`,
    }),
  },
  {
    name: 'POST /v1/activities/:id/check-ins',
    expect: statuses(401, 404, 404, 404, 200, 404),
    request: async (w) => {
      const { activity, codes } = await activityOf(w)
      w.h.clock.set('2026-12-08T01:55:00Z')
      return { method: 'POST', url: `/v1/activities/${activity.id}/check-ins`, payload: { code: codes.attendee } }
    },
  },
  {
    // Anyone signed in has a list of their own sign-ups (empty for most roles); anonymous callers have none.
    name: 'GET /v1/activities/mine',
    expect: statuses(401, 200, 200, 200, 200, 200),
    request: async () => ({ method: 'GET', url: '/v1/activities/mine' }),
  },
  {
    name: 'GET /v1/activities/ledger',
    expect: all(200),
    request: async () => ({ method: 'GET', url: '/v1/activities/ledger' }),
  },
  {
    name: 'POST /v1/evaluations',
    expect: statuses(401, 403, 201, 201, 201, 403),
    request: async (w, role) => {
      const { activity } = await activityOf(w, { held: true })
      const direction =
        role === 'volunteer' ? 'volunteer_to_host' : role === 'host' ? 'host_to_volunteer' : 'attendee_to_host'
      return {
        method: 'POST',
        url: '/v1/evaluations',
        payload: {
          activityId: activity.id,
          direction,
          score: 4,
          ...(role === 'host' && { subjectUserId: w.people.volunteer.userId }),
        },
      }
    },
  },
  {
    // Only an attendee who was there rates a volunteer who served; nobody rates themselves.
    name: 'POST /v1/evaluations (attendee_to_volunteer)',
    expect: statuses(401, 403, 201, 403, 403, 403),
    request: async (w) => ({
      method: 'POST',
      url: '/v1/evaluations',
      payload: {
        activityId: (await activityOf(w, { held: true })).activity.id,
        direction: 'attendee_to_volunteer',
        subjectUserId: w.people.volunteer.userId,
        score: 5,
      },
    }),
  },
  {
    name: 'GET /v1/evaluations',
    expect: all(200),
    request: async () => ({ method: 'GET', url: '/v1/evaluations' }),
  },
  {
    name: 'POST /v1/evaluations/:id/reply',
    expect: statuses(401, 403, 403, 403, 200, 403),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/evaluations/${await publishedEvaluation(w)}/reply`,
      payload: { reply: '谢谢您的评价' },
    }),
  },
  {
    name: 'POST /v1/evaluations/:id/reports',
    expect: statuses(401, 204, 204, 204, 204, 204),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/evaluations/${await publishedEvaluation(w)}/reports`,
      payload: { reason: '内容不实' },
    }),
  },
  {
    name: 'POST /v1/evaluations/:id/hide',
    expect: statuses(401, 403, 403, 403, 403, 200),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/evaluations/${await publishedEvaluation(w)}/hide`,
      payload: { reason: '违反社区规范' },
    }),
  },
  {
    name: 'GET /v1/evaluations/reports',
    expect: statuses(401, 403, 403, 403, 403, 200),
    request: async () => ({ method: 'GET', url: '/v1/evaluations/reports' }),
  },
  {
    name: 'POST /v1/evaluations/reports/:id/dismiss',
    expect: statuses(401, 403, 403, 403, 403, 204),
    request: async (w) => ({
      method: 'POST',
      url: `/v1/evaluations/reports/${await openReport(w)}/dismiss`,
      payload: { reason: '评价属实' },
    }),
  },
  {
    name: 'GET /v1/evaluations/watchlist',
    expect: statuses(401, 403, 403, 403, 403, 200),
    request: async () => ({ method: 'GET', url: '/v1/evaluations/watchlist' }),
  },
  {
    name: 'GET /v1/evaluations/scorecards/organizations/:id',
    expect: all(200),
    request: async (w) => ({ method: 'GET', url: `/v1/evaluations/scorecards/organizations/${w.host.id}` }),
  },
  {
    name: 'GET /v1/evaluations/scorecards/members/:id',
    expect: all(200),
    request: async (w) => ({ method: 'GET', url: `/v1/evaluations/scorecards/members/${w.people.volunteer.userId}` }),
  },
]

/** An open report (by the stranger) of a fresh published evaluation. */
async function openReport(w: World): Promise<string> {
  const id = await publishedEvaluation(w)
  await w.h.app.inject({
    method: 'POST',
    url: `/v1/evaluations/${id}/reports`,
    headers: w.people.stranger.headers,
    payload: { reason: '内容不实' },
  })
  const report = await w.h.app.community.deps.db
    .selectFrom('evaluationReports')
    .select('id')
    .where('evaluationId', '=', id)
    .executeTakeFirstOrThrow()
  return report.id
}

/** A published attendee_to_host evaluation of a fresh held activity (everyone spoke). */
async function publishedEvaluation(w: World): Promise<string> {
  const { activity } = await activityOf(w, { held: true })
  const { people, h, host } = w
  const first = await evaluate(h, people.attendee, { activityId: activity.id, direction: 'attendee_to_host', score: 3 })
  await evaluate(h, people.volunteer, { activityId: activity.id, direction: 'volunteer_to_host', score: 4 })
  await evaluate(h, host.admin, {
    activityId: activity.id,
    direction: 'host_to_volunteer',
    subjectUserId: people.volunteer.userId,
    score: 5,
  })
  return first.json().id
}

t.test('every route answers each role as the access rules say', async (t) => {
  const h = await testApp(t)
  const host = await hostOrganization(h)
  const w: World = {
    h,
    host,
    people: {
      stranger: await person(),
      attendee: await person(),
      volunteer: await person(),
      host: host.admin,
      moderator: await person({ moderator: true }),
    },
  }
  await h.app.ready()
  const paths = (h.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths
  t.ok(Object.keys(paths).length > 0)
  for (const row of ROWS) {
    for (const role of ROLES) {
      const req = await row.request(w, role)
      const auth = role === 'anonymous' ? {} : w.people[role].headers
      const res = await h.app.inject({ ...req, headers: { ...req.headers, ...auth } } as never)
      t.equal(res.statusCode, row.expect[role], `${row.name} as ${role}: ${res.body.slice(0, 160)}`)
    }
  }
  // The table covers every documented operation of activities and evaluations; surveys and the overview
  // have their own role tests (surveys.test.ts, overview.test.ts).
  const covered = new Set(ROWS.map((r) => r.name.replace(/ \(.*\)$/, '')))
  const ownedHere = (path: string) => /^\/v1\/(activities|evaluations)(\/|$)/.test(path)
  for (const [path, ops] of Object.entries(paths).filter(([path]) => ownedHere(path))) {
    for (const method of Object.keys(ops)) {
      const name = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`
      t.ok(covered.has(name), `${name} is in the table`)
    }
  }
})
