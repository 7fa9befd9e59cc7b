import type { Migration } from 'kysely'

/** The bookings schema's migrations, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {}
