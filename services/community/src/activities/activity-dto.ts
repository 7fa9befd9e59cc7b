import type { Activity } from '@commons/contracts'
import type { ActivityRow } from '../db/schema.ts'

/** The counts an activity shows: confirmed places per role and the waitlist. */
export interface ActivityCounts {
  attendees: number
  volunteers: number
  waitlisted: number
}

/** An activity row as the API and the feed show it (no personal data). */
export function toActivityDto(row: ActivityRow, organizationName: string, counts: ActivityCounts): Activity {
  return {
    id: row.id,
    organizationId: row.organizationId,
    organizationName,
    title: row.title,
    description: row.description,
    category: row.category as Activity['category'],
    targetGroups: row.targetGroups as Activity['targetGroups'],
    start: row.startAt.toISOString(),
    end: row.endAt.toISOString(),
    place: {
      kind: row.placeKind,
      listingId: row.placeListingId,
      title: row.placeTitle,
      district: row.placeDistrict,
      address: row.placeAddress,
    },
    capacity: row.capacity,
    volunteerPlaces: row.volunteerPlaces,
    volunteerSkills: row.volunteerSkills,
    signUpDeadline: row.signUpDeadline.toISOString(),
    status: row.status,
    cancelReason: row.cancelReason,
    attendees: counts.attendees,
    volunteers: counts.volunteers,
    waitlisted: counts.waitlisted,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
