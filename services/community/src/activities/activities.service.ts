import {
  type Activity,
  type ActivityPage,
  type ActivityPlaceInput,
  type Actor,
  COMMUNITY_EVENTS,
  type CreateActivityBody,
  type ListActivitiesQuery,
  type UpdateActivityBody,
} from '@commons/contracts'
import { appendEvent, isPgError, newId } from '@commons/db'
import {
  badRequest,
  invalidTransition,
  notFound,
  pageOf,
  preconditionFailed,
  readCursor,
  unprocessable,
} from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import { z } from 'zod'
import type { ActivityRow, DB } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { activityEndKey, activityReminderKey } from '../jobs/community-jobs.ts'
import { noticeParticipants, scheduleReminder } from '../notices/participant-notices.ts'
import { cancelRegistrationsOf } from '../registrations/registrations.repository.ts'
import { assertOrganizationAdmin, isOrganizationAdmin } from './access.ts'
import {
  activitiesFrom,
  countsOf,
  findActivity,
  findOwnBooking,
  findOwnPublishedVenue,
  findVenue,
  insertActivity,
  lockActivity,
  namesOf,
  organizationCity,
  organizationName,
  updateActivityRow,
} from './activities.repository.ts'
import { toActivityDto } from './activity-dto.ts'

type PlaceColumns = Pick<
  ActivityRow,
  'placeKind' | 'placeRef' | 'placeListingId' | 'placeTitle' | 'placeDistrict' | 'placeAddress'
>

/**
 * Resolves where an activity takes place. A booking must be the host's own, confirmed (or completed) and
 * cover the activity's time; a venue must be the host's own published venue. 422 `place_unavailable` else.
 */
async function resolvePlace(
  db: Kysely<DB>,
  organizationId: string,
  place: ActivityPlaceInput,
  start: Date,
  end: Date,
): Promise<PlaceColumns> {
  if (place.kind === 'address') {
    return {
      placeKind: 'address',
      placeRef: null,
      placeListingId: null,
      placeTitle: null,
      placeDistrict: place.district,
      placeAddress: place.address,
    }
  }
  if (place.kind === 'venue') {
    const venue = await findOwnPublishedVenue(db, organizationId, place.venueId)
    if (!venue) throw unprocessable('place_unavailable', 'The venue is not a published venue of this organization.')
    return {
      placeKind: 'venue',
      placeRef: venue.id,
      placeListingId: venue.id,
      placeTitle: venue.title,
      placeDistrict: venue.district,
      placeAddress: venue.address,
    }
  }
  const booking = await findOwnBooking(db, organizationId, place.bookingId)
  if (!booking || !['confirmed', 'completed'].includes(booking.status)) {
    throw unprocessable('place_unavailable', 'The booking is not a confirmed booking of this organization.')
  }
  if (start < booking.startAt || end > booking.endAt) {
    throw unprocessable('place_unavailable', 'The activity must take place within the booked time.')
  }
  const venue = await findVenue(db, booking.listingId)
  return {
    placeKind: 'booking',
    placeRef: booking.id,
    placeListingId: booking.listingId,
    placeTitle: venue?.title ?? null,
    placeDistrict: venue?.district ?? '',
    placeAddress: venue?.address ?? null,
  }
}

/** The activity as the API shows it, with its counts and host name. */
export async function activityDto(db: Kysely<DB>, row: ActivityRow): Promise<Activity> {
  const [counts, name] = await Promise.all([countsOf(db, [row.id]), organizationName(db, row.organizationId)])
  return toActivityDto(row, name, counts.get(row.id) ?? { attendees: 0, volunteers: 0, waitlisted: 0 })
}

/** Appends `activity.changed` with the public snapshot, for published and cancelled activities only. */
export async function announceActivity(trx: Transaction<DB>, row: ActivityRow): Promise<Activity> {
  const activity = await activityDto(trx, row)
  if (row.status !== 'draft') {
    const city = await organizationCity(trx, row.organizationId)
    await appendEvent(trx, {
      type: COMMUNITY_EVENTS.activityChanged,
      entityId: row.id,
      version: row.version,
      payload: { activity, city },
    })
  }
  return activity
}

/** Drafts are seen by the host's members and moderators only: 404 for anyone else, as if there were none. */
const canSee = (actor: Actor | null | undefined, row: ActivityRow) =>
  row.status !== 'draft' || Boolean(actor?.moderator) || Boolean(actor?.roles[row.organizationId])

export async function visibleActivity(
  db: Kysely<DB>,
  actor: Actor | null | undefined,
  id: string,
): Promise<ActivityRow> {
  const row = await findActivity(db, id)
  if (!row || !canSee(actor, row)) throw notFound('activity', id)
  return row
}

async function lockForHost(trx: Transaction<DB>, actor: Actor, id: string, opts: { moderators?: boolean } = {}) {
  const row = await lockActivity(trx, id)
  if (!row || !canSee(actor, row)) throw notFound('activity', id)
  assertOrganizationAdmin(actor, row.organizationId, opts)
  return row
}

function checkTimes(start: Date, end: Date, deadline: Date) {
  if (end <= start) throw badRequest('end must be after start')
  if (deadline > start) throw badRequest('sign-ups must close by the start')
}

/** Creates a draft activity of an organization the caller administers. */
export async function createActivity(deps: CommunityDeps, actor: Actor, body: CreateActivityBody): Promise<Activity> {
  assertOrganizationAdmin(actor, body.organizationId)
  const start = new Date(body.start)
  const end = new Date(body.end)
  const place = await resolvePlace(deps.db, body.organizationId, body.place, start, end)
  const now = deps.clock.now()
  return deps.db.transaction().execute(async (trx) => {
    const row = await insertActivity(trx, {
      id: newId(now.getTime()),
      organizationId: body.organizationId,
      title: body.title,
      description: body.description,
      category: body.category,
      targetGroups: body.targetGroups,
      startAt: start,
      endAt: end,
      ...place,
      capacity: body.capacity,
      volunteerPlaces: body.volunteerPlaces,
      volunteerSkills: body.volunteerSkills,
      signUpDeadline: new Date(body.signUpDeadline),
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    return activityDto(trx, row)
  })
}

export async function getActivity(deps: CommunityDeps, actor: Actor | null | undefined, id: string): Promise<Activity> {
  return activityDto(deps.db, await visibleActivity(deps.db, actor, id))
}

const ActivityPosition = z.tuple([z.string(), z.string()])

/** Published (and, for the host's members, draft) activities, soonest first, filtered. */
export async function listActivities(
  deps: CommunityDeps,
  actor: Actor | null | undefined,
  query: ListActivitiesQuery,
): Promise<ActivityPage> {
  const after = readCursor(ActivityPosition, query.cursor)
  const from = query.from ? new Date(query.from) : deps.clock.now()
  const drafts =
    query.include === 'drafts' &&
    Boolean(query.organizationId && (actor?.moderator || actor?.roles[query.organizationId]))
  const rows = await activitiesFrom(
    deps.db,
    {
      from,
      to: query.to ? new Date(query.to) : undefined,
      organizationId: query.organizationId,
      district: query.district,
      targetGroup: query.targetGroup,
      hasVolunteerPlaces: query.hasVolunteerPlaces,
      drafts,
      limit: query.limit,
    },
    after,
  )
  const [counts, names] = await Promise.all([
    countsOf(
      deps.db,
      rows.map((r) => r.id),
    ),
    namesOf(deps.db, [...new Set(rows.map((r) => r.organizationId))]),
  ])
  return pageOf(
    rows,
    query.limit,
    (r) =>
      toActivityDto(
        r,
        names.get(r.organizationId) ?? '',
        counts.get(r.id) ?? { attendees: 0, volunteers: 0, waitlisted: 0 },
      ),
    (r) => [r.startAt.toISOString(), r.id],
  )
}

/** Schedules (or moves) the end-of-activity job to the activity's end. */
async function scheduleEnd(deps: CommunityDeps, trx: Transaction<DB>, row: ActivityRow) {
  await deps.jobs.enqueue(
    trx,
    'activity.end',
    { activityId: row.id },
    { runAt: row.endAt, key: activityEndKey(row.id) },
  )
}

/** Changes an activity (If-Match); a published one announces the change, which reaches its participants. */
export async function updateActivity(
  deps: CommunityDeps,
  actor: Actor,
  id: string,
  version: number,
  body: UpdateActivityBody,
): Promise<Activity> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockForHost(trx, actor, id)
    if (row.version !== version) throw preconditionFailed()
    if (row.status === 'cancelled') throw invalidTransition(row.status, 'edit')
    const now = deps.clock.now()
    if (row.status === 'published' && row.endAt <= now) throw invalidTransition('held', 'edit')
    const start = body.start ? new Date(body.start) : row.startAt
    const end = body.end ? new Date(body.end) : row.endAt
    const deadline = body.signUpDeadline ? new Date(body.signUpDeadline) : row.signUpDeadline
    checkTimes(start, end, deadline)
    const placeChanged = body.place || body.start || body.end
    const place =
      placeChanged && (body.place || row.placeKind === 'booking')
        ? await resolvePlace(
            trx,
            row.organizationId,
            body.place ??
              (row.placeKind === 'booking'
                ? { kind: 'booking', bookingId: row.placeRef as string }
                : { kind: 'venue', venueId: row.placeRef as string }),
            start,
            end,
          )
        : {}
    const next = await updateActivityRow(trx, id, {
      ...(body.title !== undefined && { title: body.title }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.category !== undefined && { category: body.category }),
      ...(body.targetGroups !== undefined && { targetGroups: body.targetGroups }),
      ...(body.capacity !== undefined && { capacity: body.capacity }),
      ...(body.volunteerPlaces !== undefined && { volunteerPlaces: body.volunteerPlaces }),
      ...(body.volunteerSkills !== undefined && { volunteerSkills: body.volunteerSkills }),
      ...place,
      startAt: start,
      endAt: end,
      signUpDeadline: deadline,
      version: row.version + 1,
      updatedAt: now,
    })
    if (next.status === 'published') {
      await scheduleEnd(deps, trx, next)
      await scheduleReminder(deps, trx, next)
    }
    return announceActivity(trx, next)
  })
}

/** Publishes a draft: it becomes visible, searchable and open for sign-ups. */
export async function publishActivity(deps: CommunityDeps, actor: Actor, id: string): Promise<Activity> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockForHost(trx, actor, id)
    if (row.status !== 'draft') throw invalidTransition(row.status, 'publish')
    const now = deps.clock.now()
    if (row.startAt <= now) throw invalidTransition('started', 'publish')
    const next = await updateActivityRow(trx, id, { status: 'published', version: row.version + 1, updatedAt: now })
    await scheduleEnd(deps, trx, next)
    await scheduleReminder(deps, trx, next)
    return announceActivity(trx, next)
  })
}

/** Cancels an activity (host admins or moderators); every sign-up ends with it and participants are told. */
export async function cancelActivity(deps: CommunityDeps, actor: Actor, id: string, reason: string): Promise<Activity> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockForHost(trx, actor, id, { moderators: true })
    if (row.status === 'cancelled') throw invalidTransition(row.status, 'cancel')
    const now = deps.clock.now()
    if (row.endedAt || row.endAt <= now) throw invalidTransition('held', 'cancel')
    let next: ActivityRow
    try {
      next = await updateActivityRow(trx, id, {
        status: 'cancelled',
        cancelReason: reason,
        version: row.version + 1,
        updatedAt: now,
      })
    } catch (error) {
      if (isPgError(error, '23514', 'activities_lifecycle')) throw invalidTransition(row.status, 'cancel')
      throw error
    }
    const ended = await cancelRegistrationsOf(trx, id, now)
    await noticeParticipants(trx, next, ended, 'activity_cancelled')
    await deps.jobs.cancel(trx, activityEndKey(id))
    await deps.jobs.cancel(trx, activityReminderKey(id))
    return announceActivity(trx, next)
  })
}

export { isOrganizationAdmin }
