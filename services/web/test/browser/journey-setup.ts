/**
 * The booking journey's starting point, set up through the public API: a provider, a requester and a
 * moderator, their organizations, a published venue listing, and a second booking (paid offline) that the
 * requester will cancel.
 */
import { randomUUID } from 'node:crypto'
import type { CallOptions, TestStack } from '../../../../scripts/lib/test-stack.ts'
import { eventually } from './support.ts'

export const PASSWORD = 'gongxiang2026ziyuan'

// biome-ignore lint/suspicious/noExplicitAny: API answers in a test
export type Json = any

/** The API as a test's setup uses it: any answer but 2xx fails the test. */
export type Call = (method: string, url: string, opts?: CallOptions) => Promise<Json>

/** A bookable slot as the availability endpoint lists it. */
export interface Slot {
  start: string
  end: string
}

/** The listing's bookable slots from 26 hours to 14 days ahead: past any notice rule, inside the advance. */
export async function slotsAhead(call: Call, listingId: string): Promise<Slot[]> {
  const from = new Date(Date.now() + 26 * 3600_000).toISOString()
  const to = new Date(Date.now() + 14 * 86_400_000).toISOString()
  return (await call('GET', `/v1/availability/${listingId}?from=${from}&to=${to}`)).slots
}

/** Books one slot of the listing for the organization, as `token` (a member of it). */
export function bookSlot(
  call: Call,
  token: string,
  booking: { listingId: string; organizationId: string; slot: Slot; attendees: number; purpose: string },
): Promise<Json> {
  const { slot, ...rest } = booking
  return call('POST', '/v1/bookings', {
    token,
    headers: { 'idempotency-key': randomUUID() },
    body: { ...rest, start: slot.start, end: slot.end },
  })
}

/** Verifies `phone` for the signed-in person with the code the development SMS stand-in writes to the log. */
export async function verifyPhone(stack: TestStack, call: Call, token: string, phone: string): Promise<void> {
  await call('POST', '/v1/auth/phone/code', { body: { phone } })
  let code = ''
  await eventually(async () => {
    code = new RegExp(`to ${phone}: .*验证码 (\\d{6})`).exec(stack.output())?.[1] ?? ''
    return code !== ''
  }, 'the code reaches the development log')
  await call('PUT', '/v1/me/phone', { token, body: { phone, code } })
}

/** The stack's API for a test's setup: any answer but 2xx fails the test. */
export function strictCall(stack: TestStack): Call {
  return async (method, url, opts = {}) => {
    const res = await stack.call(method, url, opts)
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
}

/** Signs `email` up, makes them a moderator and signs them in again, so their session carries it. */
export async function signUpModerator(stack: TestStack, email: string, displayName: string): Promise<Json> {
  await stack.signUp({ email, password: PASSWORD, displayName })
  stack.grantModerator(email)
  return strictCall(stack)('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })
}

/** Creates a listing of the organization (`org` as `POST /v1/organizations` answers), submits and approves it. */
export async function publishListing(call: Call, org: Json, moderatorToken: string, body: Json): Promise<Json> {
  const listing = await call('POST', `/v1/organizations/${org.organization.id}/listings`, {
    token: org.accessToken,
    body,
  })
  await call('POST', `/v1/listings/${listing.id}/submit`, { token: org.accessToken })
  await call('POST', `/v1/moderation/listings/${listing.id}/approve`, { token: moderatorToken })
  return listing
}

/** A venue's opening hours: `hours` on every day of the week, Shanghai time. */
export function everyDay(hours: Array<{ start: string; end: string }>) {
  return {
    timezone: 'Asia/Shanghai',
    weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours },
  }
}

/** Booking on request in one-hour slots of one to four hours, an hour's notice, moderate cancellation. */
export const REQUEST_RULES = {
  mode: 'request',
  slotMinutes: 60,
  minDurationMinutes: 60,
  maxDurationMinutes: 240,
  minNoticeHours: 1,
  cancellationPolicy: 'moderate',
} as const

export async function setUpJourney(stack: TestStack) {
  const call = strictCall(stack)
  const stamp = Date.now()
  const emails = {
    provider: `zhang+${stamp}@example.org`,
    requester: `li+${stamp}@example.org`,
    moderator: `wang+${stamp}@example.org`,
  }
  const provider = await stack.signUp({ email: emails.provider, password: PASSWORD, displayName: '张主任' })
  const requester = await stack.signUp({ email: emails.requester, password: PASSWORD, displayName: '李书记' })
  const moderator = await signUpModerator(stack, emails.moderator, '王审核')
  const providerOrg = await call('POST', '/v1/organizations', {
    token: provider.accessToken,
    body: { name: '花木街道党群服务中心', kind: 'party_branch', district: '浦东新区', city: '上海' },
  })
  const requesterOrg = await call('POST', '/v1/organizations', {
    token: requester.accessToken,
    body: { name: '联洋社区青年志愿者协会', kind: 'youth_league', district: '浦东新区', city: '上海' },
  })
  const allDay = [{ start: '08:00', end: '22:00' }]
  const listing = await publishListing(call, providerOrg, moderator.accessToken, {
    kind: 'venue',
    title: '党群服务中心多功能会议室',
    description: '可容纳 40 人的会议室，配投影和白板，适合社区议事会和培训。',
    tags: ['会议', '培训'],
    location: { city: '上海', district: '浦东新区', address: '花木路 1000 号', lat: 31.2152, lng: 121.5448 },
    capacity: 40,
    amenities: ['projector', 'whiteboard', 'wifi'],
    pricing: { model: 'fee', unit: 'booking', price: { amount: 20_000, currency: 'CNY' } },
    rules: REQUEST_RULES,
    availability: everyDay(allDay),
  })
  let slots: Slot[] = []
  await eventually(async () => {
    slots = await slotsAhead(call, listing.id)
    return slots.length > 1
  }, 'bookings knows the listing')
  // A second booking, later, that the requester will cancel.
  const toCancel = await bookSlot(call, requesterOrg.accessToken, {
    listingId: listing.id,
    organizationId: requesterOrg.organization.id,
    slot: slots[slots.length - 1]!,
    attendees: 10,
    purpose: '青年志愿者培训',
  })

  // The provider has received the money for it offline, so cancelling it refunds by the policy.
  await call('POST', `/v1/bookings/${toCancel.id}/payment`, {
    token: providerOrg.accessToken,
    body: { method: 'bank_transfer', reference: 'ZZ-2026-001' },
  })
  return { call, emails, provider, requester, moderator, providerOrg, requesterOrg, listing, toCancel }
}
