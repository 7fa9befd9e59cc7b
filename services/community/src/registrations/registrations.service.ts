import type {
  Actor,
  CheckInBody,
  CreateRegistrationBody,
  MyActivityList,
  MyRegistration,
  Registration,
} from '@commons/contracts'
import { isUniqueViolation, newId } from '@commons/db'
import { conflict, invalidTransition, notFound, unprocessable } from '@commons/service-kit'
import QRCode from 'qrcode'
import { isOrganizationAdmin } from '../activities/access.ts'
import { lockActivity } from '../activities/activities.repository.ts'
import { activityDto, visibleActivity } from '../activities/activities.service.ts'
import type { ActivityRow, RegistrationRow } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { noticeParticipants } from '../notices/participant-notices.ts'
import { toRegistrationDto } from './registration-dto.ts'
import {
  cancelRegistration,
  checkedIn,
  findByIdempotencyKey,
  findLiveByCodeOrId,
  findLiveRegistration,
  insertRegistration,
  liveRegistrationsOf,
  promoteNext,
  recordCheckIn,
  registrationsOf,
  waitlistPositions,
} from './registrations.repository.ts'

const MINUTE = 60_000
/** People may withdraw until two hours before the start; after that the host counts on them. */
export const CANCELLATION_CUTOFF_MINUTES = 120
/** The check-in screen opens an hour before the start. */
export const CHECK_IN_OPENS_MINUTES = 60
/** Arriving later than this after the start is recorded as late. */
export const LATE_AFTER_MINUTES = 15

const placesOf = (activity: ActivityRow, role: RegistrationRow['role']) =>
  role === 'attendee' ? activity.capacity : activity.volunteerPlaces

async function withPosition(deps: CommunityDeps, row: RegistrationRow): Promise<Registration> {
  const positions = row.status === 'waitlisted' ? await waitlistPositions(deps.db, row.activityId) : new Map()
  return toRegistrationDto(row, positions.get(row.id) ?? null)
}

/**
 * Sign-ups of one activity queue in this process before they take a database connection: they would only
 * wait for the activity's row lock anyway, and a burst waiting inside the pool runs into its acquire
 * timeout (503) while holding connections every other request needs. The row lock still orders replicas.
 */
const queues = new Map<string, Promise<unknown>>()
function inTurn<T>(activityId: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(activityId) ?? Promise.resolve()
  const mine = previous.then(work, work)
  const settled = mine.then(
    () => undefined,
    () => undefined,
  )
  queues.set(activityId, settled)
  void settled.then(() => {
    if (queues.get(activityId) === settled) queues.delete(activityId)
  })
  return mine
}

/** What a sign-up call answers: the sign-up, and whether it was made now (201) or replayed (200). */
export interface SignUpOutcome {
  registration: Registration
  created: boolean
}

/**
 * Signs the caller up as attendee or volunteer. The activity row is locked while the places of the role
 * are counted, so concurrent sign-ups take turns: exactly `capacity` are confirmed and the rest wait in
 * arrival order. One live sign-up per person (an index); a repeated Idempotency-Key answers the first one.
 */
export async function signUp(
  deps: CommunityDeps,
  actor: Actor,
  activityId: string,
  body: CreateRegistrationBody,
  idempotencyKey?: string,
): Promise<SignUpOutcome> {
  const replay = async (): Promise<SignUpOutcome | undefined> => {
    if (!idempotencyKey) return undefined
    const earlier = await findByIdempotencyKey(deps.db, actor.userId, idempotencyKey)
    if (!earlier) return undefined
    if (earlier.activityId !== activityId || earlier.role !== body.role) {
      throw unprocessable('idempotency_key_reused', 'This Idempotency-Key was used for another sign-up.')
    }
    return { registration: await withPosition(deps, earlier), created: false }
  }
  const earlier = await replay()
  if (earlier) return earlier
  try {
    const row = await inTurn(activityId, () =>
      deps.db.transaction().execute(async (trx) => {
        const activity = await lockActivity(trx, activityId)
        if (!activity || (activity.status === 'draft' && !actor.moderator && !actor.roles[activity.organizationId])) {
          throw notFound('activity', activityId)
        }
        const now = deps.clock.now()
        if (activity.status !== 'published') throw conflict('sign_up_closed', `The activity is ${activity.status}.`)
        if (now > activity.signUpDeadline) throw conflict('sign_up_closed', 'Sign-ups for this activity have closed.')
        const places = placesOf(activity, body.role)
        if (places === 0) throw conflict('sign_up_closed', 'This activity has no volunteer places.')
        // One statement after the lock: the count and the code are read with the lock held (a fresh snapshot),
        // and few round trips under the lock keep a rush of sign-ups moving.
        const row = await insertRegistration(trx, {
          id: newId(now.getTime()),
          activityId,
          userId: actor.userId,
          displayName: body.displayName,
          role: body.role,
          partyMember: body.role === 'volunteer' && body.partyMember,
          places,
          idempotencyKey: idempotencyKey ?? null,
          now,
        })
        await noticeParticipants(trx, activity, [row], row.status === 'confirmed' ? 'confirmed' : 'waitlisted')
        return row
      }),
    )
    return { registration: await withPosition(deps, row), created: true }
  } catch (error) {
    // Two requests with one key raced: the loser answers the winner's sign-up.
    if (isUniqueViolation(error, 'registrations_idempotency')) {
      const again = await replay()
      if (again) return again
    }
    if (isUniqueViolation(error, 'registrations_one_per_person')) {
      throw conflict('already_signed_up', 'You are already signed up for this activity.')
    }
    throw error
  }
}

/** Withdraws the caller's sign-up until the cut-off; a freed place goes to the first on the waitlist. */
export async function cancelMyRegistration(deps: CommunityDeps, actor: Actor, activityId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const activity = await lockActivity(trx, activityId)
    if (!activity) throw notFound('activity', activityId)
    const mine = await findLiveRegistration(trx, activityId, actor.userId)
    if (!mine) throw notFound('registration')
    const now = deps.clock.now()
    if (now.getTime() > activity.startAt.getTime() - CANCELLATION_CUTOFF_MINUTES * MINUTE) {
      throw conflict(
        'cancellation_closed',
        `Sign-ups can be withdrawn until ${CANCELLATION_CUTOFF_MINUTES} minutes before the start.`,
      )
    }
    await cancelRegistration(trx, mine.id, now)
    if (mine.status !== 'confirmed') return
    const promoted = await promoteNext(trx, activityId, mine.role, now)
    if (promoted) await noticeParticipants(trx, activity, [promoted], 'promoted')
  })
}

/** The caller's own sign-up with a QR code of its check-in code. */
export async function getMyRegistration(
  deps: CommunityDeps,
  actor: Actor,
  activityId: string,
): Promise<MyRegistration> {
  const activity = await visibleActivity(deps.db, actor, activityId)
  const mine = await findLiveRegistration(deps.db, activityId, actor.userId)
  if (!mine) throw notFound('registration')
  const qrSvg = await QRCode.toString(mine.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  // Only someone who was there as an attendee learns who served, and only once it is over (to rate them).
  const servedBeside = mine.role === 'attendee' && mine.status === 'confirmed' && mine.checkedInAt && activity.endedAt
  const volunteersServed = servedBeside
    ? (await checkedIn(deps.db, activityId, 'volunteer')).map(({ userId, displayName, partyMember }) => ({
        userId,
        displayName,
        partyMember,
      }))
    : []
  return { ...(await withPosition(deps, mine)), qrSvg, volunteersServed }
}

/**
 * The caller's live sign-ups with their activities, latest activity first: the person's own list (我的活动),
 * past ones included so they can evaluate; cancelled activities stay so the person sees why.
 */
export async function listMyActivities(deps: CommunityDeps, actor: Actor): Promise<MyActivityList> {
  const rows = await liveRegistrationsOf(deps.db, actor.userId)
  const items = []
  for (const row of rows) {
    const activity = await visibleActivity(deps.db, actor, row.activityId)
    const positions = row.status === 'waitlisted' ? await waitlistPositions(deps.db, row.activityId) : new Map()
    items.push({
      activity: await activityDto(deps.db, activity),
      registration: toRegistrationDto(row, positions.get(row.id) ?? null),
    })
  }
  return { items }
}

/** Every sign-up of an activity, for its host's admins and moderators: confirmed first, then the waitlist. */
export async function listRegistrations(
  deps: CommunityDeps,
  actor: Actor,
  activityId: string,
): Promise<Registration[]> {
  const activity = await visibleActivity(deps.db, actor, activityId)
  if (!isOrganizationAdmin(actor, activity.organizationId) && !actor.moderator) {
    throw notFound('activity', activityId)
  }
  const rows = await registrationsOf(deps.db, activityId)
  const positions = await waitlistPositions(deps.db, activityId)
  const rank = { confirmed: 0, waitlisted: 1, cancelled: 2 } as const
  return rows
    .map((r) => toRegistrationDto(r, positions.get(r.id) ?? null))
    .sort((a, b) => rank[a.status] - rank[b.status])
}

/** The sign-ups as a CSV the host can print or import (names, roles, status, check-in). */
export function registrationsCsv(items: Registration[]): string {
  const quote = (v: string) =>
    /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : v
  const lines = [
    ['name', 'role', 'party_member', 'status', 'waitlist_position', 'code', 'checked_in_at', 'late', 'no_show'],
  ]
  for (const r of items) {
    lines.push([
      r.displayName,
      r.role,
      String(r.partyMember),
      r.status,
      r.waitlistPosition === null ? '' : String(r.waitlistPosition),
      r.code,
      r.checkedInAt ?? '',
      String(r.late),
      String(r.noShow),
    ])
  }
  return `${lines.map((l) => l.map(quote).join(',')).join('\r\n')}\r\n`
}

/** The host checks a person in by the code (typed or scanned) or off the list; late arrivals are marked. */
export async function checkIn(
  deps: CommunityDeps,
  actor: Actor,
  activityId: string,
  body: CheckInBody,
): Promise<Registration> {
  return deps.db.transaction().execute(async (trx) => {
    const activity = await lockActivity(trx, activityId)
    if (!activity || (activity.status === 'draft' && !actor.moderator && !actor.roles[activity.organizationId])) {
      throw notFound('activity', activityId)
    }
    if (!isOrganizationAdmin(actor, activity.organizationId)) throw notFound('activity', activityId)
    if (activity.status !== 'published') throw invalidTransition(activity.status, 'check in')
    const now = deps.clock.now()
    if (activity.endedAt) throw invalidTransition('ended', 'check in')
    if (now.getTime() < activity.startAt.getTime() - CHECK_IN_OPENS_MINUTES * MINUTE) {
      throw invalidTransition('not_started', 'check in')
    }
    const registration = await findLiveByCodeOrId(trx, activityId, body)
    if (!registration) throw unprocessable('check_in_code_unknown', 'No sign-up of this activity has that code.')
    if (registration.status !== 'confirmed') throw invalidTransition(registration.status, 'check in')
    if (registration.checkedInAt) return toRegistrationDto(registration, null)
    const late = now.getTime() > activity.startAt.getTime() + LATE_AFTER_MINUTES * MINUTE
    const row = await recordCheckIn(trx, registration.id, now, late)
    return toRegistrationDto(row, null)
  })
}
