import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

export type LedgerScope = { kind: 'all'; id: null } | { kind: 'organization' | 'listing'; id: string }

/** One month of completed bookings as Postgres sums them (numerics arrive as strings). */
export interface UsageRow {
  month: string
  completedBookings: string
  secondsShared: string
  groupsServed: string
  attendees: string
  volunteerSeconds: string
  averageRating: string | null
  ratings: string
}

/**
 * Completed bookings of a scope summed per calendar month of their start in `tz`; `from` and `to` are
 * months (YYYY-MM), both included. Only aggregates leave this query.
 */
export async function monthlyUsage(
  db: Kysely<DB>,
  scope: LedgerScope,
  range: { from?: string | undefined; to?: string | undefined },
  tz: string,
): Promise<UsageRow[]> {
  const monthStart = (m: string) => sql`((${`${m}-01`})::timestamp at time zone ${tz})`
  const rows = await sql<UsageRow>`
    select to_char(date_trunc('month', b.start_at at time zone ${tz}), 'YYYY-MM') as month,
      count(*) as completed_bookings,
      sum(extract(epoch from b.end_at - b.start_at)) as seconds_shared,
      count(distinct b.requester_organization_id) as groups_served,
      sum(b.attendees) as attendees,
      coalesce(sum(extract(epoch from b.end_at - b.start_at)) filter (where b.listing_kind = 'volunteer_time'), 0)
        as volunteer_seconds,
      avg(r.score) as average_rating,
      count(r.id) as ratings
    from bookings b
    left join ratings r on r.booking_id = b.id and r.side = 'requester'
      and r.published_at is not null and r.hidden_at is null
    where b.status = 'completed'
      ${scope.kind === 'organization' ? sql`and b.provider_organization_id = ${scope.id}` : sql``}
      ${scope.kind === 'listing' ? sql`and b.listing_id = ${scope.id}` : sql``}
      ${range.from ? sql`and b.start_at >= ${monthStart(range.from)}` : sql``}
      ${range.to ? sql`and b.start_at < ${monthStart(range.to)} + interval '1 month'` : sql``}
    group by 1
    order by 1
  `.execute(db)
  return rows.rows
}
