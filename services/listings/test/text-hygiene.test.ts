import { readFileSync } from 'node:fs'
import t from 'tap'
import { counts, createListing, moderator, testDb, venueBody } from './fixtures.ts'
import { bearer, orgOwner, testApp } from './helpers.ts'

/** Values that render as nothing: white space, zero-width characters, bidi controls and marks. */
const INVISIBLE = ['\u200B\u200B', '\u202E\u2066\u2069', ' \u3000\u00A0 ', '\u200D\uFEFF\u200E', '\u3164\u2800']

const needBody = (organizationId: string) => ({
  organizationId,
  kind: 'venue',
  title: '寻找可容纳 50 人的活动室',
  city: '上海',
  district: '徐汇区',
  window: { start: '2026-12-05T09:00:00+08:00', end: '2026-12-05T12:00:00+08:00' },
})

/** Sets `value` at a dotted path of a copy of `body`; a path ending in `.0` is a one-element array. */
function withValue(body: Record<string, unknown>, path: string, value: string) {
  const copy = structuredClone(body)
  const keys = path.split('.')
  let node: Record<string, unknown> = copy
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>
  const last = keys.at(-1)!
  if (last === '0') {
    const parent = keys.slice(0, -2).reduce<Record<string, unknown>>((n, k) => n[k] as Record<string, unknown>, copy)
    parent[keys.at(-2)!] = [value]
  } else node[last] = value
  return copy
}

t.test('every human-text field of every write route refuses invisible values and writes nothing', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const owner = await orgOwner(app)
  const mod = await moderator(app, databaseUrl, t)
  const listing = await createListing(app, owner.token, owner.organization.id)
  const pending = await createListing(app, owner.token, owner.organization.id)
  t.equal(
    (await app.inject({ method: 'POST', url: `/v1/listings/${pending.id}/submit`, headers: bearer(owner.token) }))
      .statusCode,
    200,
  )
  const need = await app.inject({
    method: 'POST',
    url: '/v1/needs',
    headers: bearer(owner.token),
    payload: needBody(owner.organization.id),
  })
  t.equal(need.statusCode, 201)

  const routes: Array<{
    operationId: string
    method: 'POST' | 'PATCH' | 'PUT'
    url: string
    token?: string
    headers?: Record<string, string>
    body: Record<string, unknown>
    fields: string[]
  }> = [
    {
      operationId: 'register',
      method: 'POST',
      url: '/v1/auth/register',
      body: { email: 'walker@example.org', password: 'correct horse battery', displayName: '走查' },
      fields: ['displayName'],
    },
    {
      operationId: 'createOrganization',
      method: 'POST',
      url: '/v1/organizations',
      token: owner.token,
      body: {
        name: '某社区居委会',
        kind: 'residents_committee',
        district: '徐汇区',
        city: '上海',
        description: '简介',
      },
      fields: ['name', 'district', 'city', 'description'],
    },
    {
      operationId: 'updateOrganization',
      method: 'PATCH',
      url: `/v1/organizations/${owner.organization.id}`,
      token: owner.token,
      headers: { 'if-match': `"${owner.organization.version}"` },
      body: { name: '新名字' },
      fields: ['name', 'district', 'city', 'description'],
    },
    {
      operationId: 'putOrganizationContacts',
      method: 'PUT',
      url: `/v1/organizations/${owner.organization.id}/contacts`,
      token: owner.token,
      body: { contactPerson: '王主任', mobile: '13800001234' },
      fields: ['contactPerson'],
    },
    {
      operationId: 'putListingPrivateDetails',
      method: 'PUT',
      url: `/v1/listings/${listing.id}/private-details`,
      token: owner.token,
      body: { arrivalNotes: '从东门进', paymentTerms: '现场付现金' },
      fields: ['arrivalNotes', 'paymentTerms'],
    },
    {
      operationId: 'createListing',
      method: 'POST',
      url: `/v1/organizations/${owner.organization.id}/listings`,
      token: owner.token,
      body: venueBody({
        availability: {
          timezone: 'Asia/Shanghai',
          exceptions: [{ date: '2026-12-24', closed: true, note: '平安夜' }],
        },
      }),
      fields: [
        'title',
        'description',
        'tags.0',
        'location.city',
        'location.district',
        'location.address',
        'availability.exceptions.0.note',
      ],
    },
    {
      operationId: 'updateListing',
      method: 'PATCH',
      url: `/v1/listings/${listing.id}`,
      token: owner.token,
      headers: { 'if-match': `"${listing.version}"` },
      body: { title: '新标题' },
      fields: ['title', 'description', 'tags.0'],
    },
    {
      operationId: 'createNeed',
      method: 'POST',
      url: '/v1/needs',
      token: owner.token,
      body: needBody(owner.organization.id),
      fields: ['title', 'description', 'tags.0', 'city', 'district'],
    },
    {
      operationId: 'updateNeed',
      method: 'PATCH',
      url: `/v1/needs/${need.json().id}`,
      token: owner.token,
      headers: { 'if-match': '"1"' },
      body: { title: '新的需求标题' },
      fields: ['title', 'description', 'tags.0', 'district'],
    },
    {
      operationId: 'rejectListing',
      method: 'POST',
      url: `/v1/moderation/listings/${pending.id}/reject`,
      token: mod.token,
      body: { reason: '照片不清楚' },
      fields: ['reason'],
    },
  ]

  // The walk covers every listings operation with a body of human text; the rest carry only credentials,
  // ids and roles. A new write route fails here until it is added above.
  const document = JSON.parse(readFileSync(new URL('../../../openapi/listings.json', import.meta.url), 'utf8'))
  const withBody = Object.values(
    document.paths as Record<string, Record<string, { operationId: string; requestBody?: unknown }>>,
  )
    .flatMap((ops) => Object.values(ops))
    .filter((op) => op.requestBody)
    .map((op) => op.operationId)
    .sort()
  // Routes whose bodies hold no human text: credentials, phone numbers and codes, ids and numbers.
  const credentialsOnly = [
    'login',
    'refreshSession',
    'logout',
    'inviteMember',
    'changeMemberRole',
    'attachPhone',
    'phoneLogin',
    'requestPhoneCode',
    // Email verification: a link's token, an email.
    'verifyEmail',
    'resendVerification',
    'requestParentOrganization',
    'setOrganizationQuotas',
    // Privacy: a notice version, consent flags, a password; an export takes no fields.
    'acceptPrivacyNotice',
    'updateConsents',
    'requestAccountDeletion',
    'requestDataExport',
  ]
  t.same(withBody, [...routes.map((r) => r.operationId), ...credentialsOnly].sort(), 'every write route is walked')

  const before = await counts(db)
  for (const route of routes) {
    for (const field of route.fields) {
      for (const value of INVISIBLE) {
        const res = await app.inject({
          method: route.method,
          url: route.url,
          headers: { ...(route.token ? bearer(route.token) : {}), ...route.headers },
          payload: withValue(route.body, field, value),
        })
        const label = `${route.operationId} ${field} ${JSON.stringify(value)}`
        t.equal(res.statusCode, 400, label)
        t.equal(res.json().code, 'validation_failed', label)
        t.ok(
          (res.json().errors as Array<{ path: string }>).some((e) =>
            e.path.startsWith(`body.${field.replace(/\.0$/, '')}`),
          ),
          `${label} names the field`,
        )
      }
    }
  }
  t.same(await counts(db), before, 'nothing was written')
  const users = await db.selectFrom('users').select('email').where('email', '=', 'walker@example.org').execute()
  t.same(users, [], 'no account was registered')
})

t.test('bidi overrides are stripped from what is stored; marks inside real text stay', async (t) => {
  const { app } = await testApp(t)
  const owner = await orgOwner(app)
  const res = await app.inject({
    method: 'POST',
    url: `/v1/organizations/${owner.organization.id}/listings`,
    headers: bearer(owner.token),
    payload: venueBody({ title: '\u202E会议室\u202C 免费\u2067', tags: ['\u2066讲座\u2069'] }),
  })
  t.equal(res.statusCode, 201)
  t.equal(res.json().title, '会议室 免费')
  t.same(res.json().tags, ['讲座'])
})
