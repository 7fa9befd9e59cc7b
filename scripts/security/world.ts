import type { CallResult, TestStack } from '../lib/test-stack.ts'

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
type Json = Record<string, any>

/** A signed-in user of the test world: tokens and what they own. */
export interface Person {
  userId: string
  email: string
  accessToken: string
  refreshToken: string
}

/**
 * The data the suite attacks, built through the public API as users build it: a victim organization with a
 * published listing, a need and a member; a requesting group whose booking of that listing was completed
 * and rated by both sides (so the rating is public); a moderator of no organization; and a stranger with an
 * organization of their own and no relation to any of it.
 */
export interface World {
  victim: Person
  victimOrg: string
  listing: string
  need: string
  member: Person
  requester: Person
  requesterOrg: string
  booking: string
  rating: string
  moderator: Person
  stranger: Person
  strangerOrg: string
  /** Was an admin of the victim's organization and was removed; keeps the access token from before. */
  removedAdmin: Person
  /** A pending invitation of the victim's organization to an email without an account: nobody may answer it. */
  invitation: string
  /** A valid body of each kind, for writes whose case names one. */
  bodies: Record<
    'listing' | 'need' | 'booking' | 'view' | 'conversation' | 'activity' | 'survey' | 'surveyNeed',
    unknown
  >
  /** Query strings a case may name. */
  queries: Record<'window' | 'victimBookings' | 'organization' | 'forgedTicket', string>
}

const PASSWORD = 'correct horse battery'
const allDay = [{ start: '08:00', end: '22:00' }]

export const listingBody = () => ({
  kind: 'venue',
  title: '安全测试会议室',
  description: '可容纳 40 人的会议室。',
  tags: ['会议'],
  location: { city: '上海', district: '浦东新区', address: '花木路 1000 号', lat: 31.2152, lng: 121.5448 },
  capacity: 40,
  amenities: ['projector'],
  rules: { mode: 'request', slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 240, minNoticeHours: 1 },
  availability: {
    timezone: 'Asia/Shanghai',
    weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  },
})

/** The answer's body when its status is `status`; throws with the answer otherwise. */
export function expectStatus(res: CallResult, status: number, what: string): Json {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export async function buildWorld(stack: TestStack): Promise<World> {
  const call = stack.call
  const register = async (email: string, name: string): Promise<Person> => {
    const body = await stack.signUp({ email, password: PASSWORD, displayName: name })
    return { userId: body.user.id, email, accessToken: body.accessToken, refreshToken: body.refreshToken }
  }
  const login = async (email: string): Promise<Person> => {
    const body = expectStatus(
      await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } }),
      200,
      `login ${email}`,
    )
    return { userId: body.user.id, email, accessToken: body.accessToken, refreshToken: body.refreshToken }
  }
  const organization = async (who: Person, name: string) => {
    const body = expectStatus(
      await call('POST', '/v1/organizations', {
        token: who.accessToken,
        body: { name, kind: 'residents_committee', district: '浦东新区', city: '上海' },
      }),
      201,
      `organization ${name}`,
    )
    // The creator's new token carries the owner role.
    who.accessToken = body.accessToken
    return body.organization.id as string
  }

  let victim = await register('victim@example.org', '受害者')
  const member = await register('member@example.org', '成员')
  const requester = await register('requester@example.org', '预订者')
  const stranger = await register('stranger@example.org', '陌生人')
  await register('moderator@example.org', '审核员')
  stack.grantModerator('moderator@example.org')
  const moderator = await login('moderator@example.org')

  // Members join only by accepting an admin's invitation (issue 13): every membership of the world does so.
  const invite = async (admin: Person, org: string, email: string, role: 'admin' | 'member') =>
    expectStatus(
      await call('POST', `/v1/organizations/${org}/members`, { token: admin.accessToken, body: { email, role } }),
      202,
      `invite ${email}`,
    ).id as string
  const join = async (admin: Person, org: string, who: Person, role: 'admin' | 'member') => {
    const invitation = await invite(admin, org, who.email, role)
    expectStatus(
      await call('POST', `/v1/invitations/${invitation}/accept`, { token: who.accessToken, body: {} }),
      200,
      `${who.email} accepts`,
    )
  }

  const victimOrg = await organization(victim, '受害者居委会')
  const requesterOrg = await organization(requester, '预订者协会')
  const strangerOrg = await organization(stranger, '陌生人协会')
  await join(victim, victimOrg, member, 'member')
  const invitation = await invite(victim, victimOrg, 'invitee@example.org', 'member')
  victim = { ...victim, ...(await login(victim.email)) }

  const listing = expectStatus(
    await call('POST', `/v1/organizations/${victimOrg}/listings`, { token: victim.accessToken, body: listingBody() }),
    201,
    'create listing',
  ).id as string
  expectStatus(await call('POST', `/v1/listings/${listing}/submit`, { token: victim.accessToken }), 200, 'submit')
  expectStatus(
    await call('POST', `/v1/moderation/listings/${listing}/approve`, { token: moderator.accessToken }),
    200,
    'approve',
  )
  const from = new Date(Date.now() + 26 * 3600_000)
  const to = new Date(from.getTime() + 3 * 86_400_000)
  const window = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`
  const slot = await until('slots of the listing', async () => {
    const res = await call('GET', `/v1/availability/${listing}?${window}`)
    return res.status === 200 && res.body.slots.length > 1 ? (res.body.slots as Json[]) : undefined
  })
  const bookingBody = (org: string, i: number) => ({
    listingId: listing,
    organizationId: org,
    start: slot[i]!.start,
    end: slot[i]!.end,
    attendees: 10,
    purpose: '安全测试',
  })
  const booking = expectStatus(
    await call('POST', '/v1/bookings', {
      token: requester.accessToken,
      body: bookingBody(requesterOrg, 0),
      headers: { 'idempotency-key': `security-${Date.now()}` },
    }),
    201,
    'book',
  ).id as string
  expectStatus(
    await call('POST', `/v1/bookings/${booking}/accept`, { token: victim.accessToken, body: {} }),
    200,
    'accept',
  )
  await stack.beginBooking(booking)
  expectStatus(
    await call('POST', `/v1/bookings/${booking}/complete`, { token: victim.accessToken, body: {} }),
    200,
    'complete',
  )
  const rating = await until('the rating window', async () => {
    const res = await call('POST', `/v1/bookings/${booking}/ratings`, {
      token: requester.accessToken,
      body: { score: 4, comment: '很好' },
    })
    return res.status === 201 ? (res.body.id as string) : undefined
  })
  expectStatus(
    await call('POST', `/v1/bookings/${booking}/ratings`, { token: victim.accessToken, body: { score: 5 } }),
    201,
    'provider rates',
  )

  // An admin whose removal every service must honour at once, though their token still claims the role.
  const former = await register('former-admin@example.org', '前管理员')
  await join(victim, victimOrg, former, 'admin')
  const removedAdmin = await login(former.email)
  expectStatus(
    await call('GET', `/v1/bookings?as=provider&organizationId=${victimOrg}`, { token: removedAdmin.accessToken }),
    200,
    'the admin sees the bookings',
  )
  expectStatus(
    await call('DELETE', `/v1/organizations/${victimOrg}/members/${former.userId}`, { token: victim.accessToken }),
    204,
    'remove admin',
  )
  // The removal travels on the listings feed; each replica applies it within moments.
  await until('the removal in bookings', async () => {
    const res = await call('GET', `/v1/bookings?as=provider&organizationId=${victimOrg}`, {
      token: removedAdmin.accessToken,
    })
    return res.status === 403 ? true : undefined
  })

  const need = expectStatus(
    await call('POST', '/v1/needs', {
      token: victim.accessToken,
      body: {
        kind: 'venue',
        title: '需要一间会议室',
        city: '上海',
        district: '浦东新区',
        window: { start: from.toISOString(), end: to.toISOString() },
        organizationId: victimOrg,
      },
    }),
    201,
    'need',
  ).id as string

  return {
    victim,
    victimOrg,
    listing,
    need,
    member,
    requester,
    requesterOrg,
    booking,
    rating,
    moderator,
    stranger,
    strangerOrg,
    removedAdmin,
    invitation,
    bodies: {
      listing: listingBody(),
      need: {
        kind: 'venue',
        title: '冒名的需求',
        city: '上海',
        district: '浦东新区',
        window: { start: from.toISOString(), end: to.toISOString() },
        organizationId: victimOrg,
      },
      // For the victim's requesting group, which the caller is no member of.
      booking: bookingBody(requesterOrg, 1),
      view: { listingId: listing },
      conversation: { subject: { type: 'booking', id: booking }, organizationId: victimOrg },
      // Complete, valid bodies: the answer is the authorization's, not the validation's.
      activity: {
        organizationId: victimOrg,
        title: '冒名的活动',
        category: 'lecture',
        targetGroups: ['residents'],
        start: from.toISOString(),
        end: new Date(from.getTime() + 2 * 3600_000).toISOString(),
        signUpDeadline: new Date(from.getTime() - 3600_000).toISOString(),
        place: { kind: 'address', district: '浦东新区', address: '花木路 1000 号' },
        capacity: 20,
      },
      survey: {
        organizationId: victimOrg,
        title: '冒名的问卷',
        questions: [
          {
            id: 'wants',
            type: 'single',
            title: '你希望开展什么活动？',
            options: [
              { id: 'talk', label: '讲座' },
              { id: 'visit', label: '探访' },
            ],
          },
        ],
      },
      surveyNeed: {
        questionId: 'wants',
        optionId: 'talk',
        need: {
          kind: 'expertise',
          title: '冒名的需求',
          city: '上海',
          district: '浦东新区',
          window: { start: from.toISOString(), end: to.toISOString() },
        },
      },
    },
    queries: {
      window,
      victimBookings: `as=provider&organizationId=${victimOrg}`,
      organization: `organizationId=${victimOrg}`,
      forgedTicket: 'ticket=forged',
    },
  }
}
