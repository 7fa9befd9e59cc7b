import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Selectable } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** Table types of the `discovery` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  listings: ListingsTable
  organizations: OrganizationsTable
  needs: NeedsTable
  bookings: BookingsTable
  reputations: ReputationsTable
  views: ViewsTable
  memberSettings: MemberSettingsTable
  reindexState: ReindexStateTable
  activities: ActivitiesTable
  organizationScorecards: OrganizationScorecardsTable
}

export interface ListingsTable {
  id: string
  version: number
  published: boolean
  organizationId: string
  snapshot: Json<Record<string, unknown> | null> | null
  organization: Json<Record<string, unknown> | null> | null
  updatedAt: Generated<Date>
}
export type ListingRow = Selectable<ListingsTable>

export interface OrganizationsTable {
  id: string
  version: number
  name: string
  kind: string
  verified: boolean
}

export interface NeedsTable {
  id: string
  version: number
  open: boolean
  need: Json<Record<string, unknown>>
  updatedAt: Generated<Date>
}

export interface BookingsTable {
  id: string
  version: number
  listingId: string
  listingKind: string
  requesterOrganizationId: string
  requesterUserId: string
  status: string
  holdsSlot: boolean
  /** [start, end) without buffers, as tstzrange text, e.g. `[2026-11-21T10:00:00Z,2026-11-21T11:00:00Z)`. */
  busy: string
  createdAt: Generated<Date>
}

export interface ReputationsTable {
  subject: string
  id: string
  version: number
  average: number
  count: number
}

export interface ViewsTable {
  id: Generated<number>
  userId: string
  listingId: string
  viewedAt: Generated<Date>
}

export interface MemberSettingsTable {
  userId: string
  personalised: Generated<boolean>
  historyClearedAt: Date | null
}

export interface ReindexStateTable {
  name: string
  buildingUid: string | null
  startedAt: Date | null
  heartbeatAt: Date | null
  finishedAt: Date | null
  documents: Generated<number>
  error: string | null
}

export interface ActivitiesTable {
  id: string
  version: number
  listed: boolean
  organizationId: string
  /** The Activity as the last `activity.changed` carried it. */
  snapshot: Json<Record<string, unknown>>
  city: string | null
  updatedAt: Generated<Date>
}

/** An organization's scorecard facts from `scorecard.updated`: what the ranking lift goes by. */
export interface OrganizationScorecardsTable {
  id: string
  version: number
  badge: boolean
  rectifying: boolean
}
