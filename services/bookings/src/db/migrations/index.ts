import type { Migration } from 'kysely'
import * as bookings from './2026-11-21T1000-bookings.ts'
import * as calendars from './2026-11-21T1100-calendars.ts'
import * as ratings from './2026-11-21T1300-ratings.ts'

/** The bookings schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '2026-11-21T1000-bookings': bookings,
  '2026-11-21T1100-calendars': calendars,
  '2026-11-21T1300-ratings': ratings,
}
