import type { Ledger, LedgerMonth } from '@commons/contracts'
import { sql } from 'kysely'
import type { BookingsDeps } from '../deps.ts'

/** Months of the ledger are calendar months in the marketplace's time zone (DESIGN.md: Asia/Shanghai). */
export const LEDGER_TIMEZONE = 'Asia/Shanghai'

export type LedgerScope = { kind: 'all'; id: null } | { kind: 'organization' | 'listing'; id: string }

const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * The open usage ledger: completed bookings per month (by their start, in Asia/Shanghai), as provider for an
 * organization. Aggregates only — counts, hours, distinct groups, attendees and ratings — so nothing
 * personal (no names, emails, purposes or member ids) can leave through it.
 */
export async function usageLedger(
  deps: BookingsDeps,
  scope: LedgerScope,
  range: { from?: string | undefined; to?: string | undefined },
): Promise<Ledger> {
  const tz = LEDGER_TIMEZONE
  const monthStart = (m: string) => sql`((${`${m}-01`})::timestamp at time zone ${tz})`
  const rows = await sql<{
    month: string
    completedBookings: string
    secondsShared: string
    groupsServed: string
    attendees: string
    volunteerSeconds: string
    averageRating: string | null
    ratings: string
  }>`
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
  `.execute(deps.db)
  const months: LedgerMonth[] = rows.rows.map((r) => ({
    month: r.month,
    completedBookings: Number(r.completedBookings),
    hoursShared: round2(Number(r.secondsShared) / 3600),
    groupsServed: Number(r.groupsServed),
    attendees: Number(r.attendees),
    volunteerHours: round2(Number(r.volunteerSeconds) / 3600),
    averageRating: r.averageRating === null ? null : round2(Number(r.averageRating)),
    ratings: Number(r.ratings),
  }))
  return { scope, timezone: tz, months }
}

const CSV_COLUMNS: Array<[keyof LedgerMonth, string]> = [
  ['month', '月份 month'],
  ['completedBookings', '完成预约 completed_bookings'],
  ['hoursShared', '共享小时 hours_shared'],
  ['groupsServed', '服务团体 groups_served'],
  ['attendees', '参与人数 attendees'],
  ['volunteerHours', '志愿小时 volunteer_hours'],
  ['averageRating', '平均评分 average_rating'],
  ['ratings', '评价数 ratings'],
]

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The ledger as CSV (RFC 4180, CRLF), starting with a UTF-8 byte order mark: without it spreadsheet
 * programs (Excel in particular) read UTF-8 as the local code page and garble the Chinese headers.
 */
export function ledgerCsv(ledger: Ledger): string {
  const lines = [CSV_COLUMNS.map(([, header]) => csvCell(header)).join(',')]
  for (const m of ledger.months) lines.push(CSV_COLUMNS.map(([key]) => csvCell(m[key])).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
