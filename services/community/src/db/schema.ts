import type { KitTables } from '@commons/db'
import type { ColumnType, Selectable } from 'kysely'

/** Table types of the `community` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  organizations: OrganizationsTable
  venues: VenuesTable
  bookings: BookingsTable
}

type Updated = ColumnType<Date, Date | undefined, Date>

/** Organizations' public facts, replicated from the listings feed. */
export interface OrganizationsTable {
  id: string
  version: number
  name: string
  kind: string
  district: string | null
  city: string | null
  verified: ColumnType<boolean, boolean | undefined, boolean>
  updatedAt: Updated
}
export type OrganizationRow = Selectable<OrganizationsTable>

/** Venue listings, replicated from the listings feed (an activity may take place in its host's venue). */
export interface VenuesTable {
  id: string
  version: number
  organizationId: string
  title: string
  district: string
  address: string | null
  lat: number | null
  lng: number | null
  published: boolean
  updatedAt: Updated
}
export type VenueRow = Selectable<VenuesTable>

/** Bookings, replicated from the bookings feed (an activity may take place in one its host booked). */
export interface BookingsTable {
  id: string
  version: number
  listingId: string
  requesterOrganizationId: string
  providerOrganizationId: string
  status: string
  startAt: Date
  endAt: Date
  updatedAt: Updated
}
export type BookingRow = Selectable<BookingsTable>
