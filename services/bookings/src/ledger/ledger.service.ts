import type { Ledger, LedgerMonth } from '@commons/contracts'
import type { BookingsDeps } from '../deps.ts'
import { type LedgerScope, monthlyUsage } from './ledger.repository.ts'

/** Months of the ledger are calendar months in the marketplace's time zone (DESIGN.md: Asia/Shanghai). */
export const LEDGER_TIMEZONE = 'Asia/Shanghai'

export type { LedgerScope }

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
  const rows = await monthlyUsage(deps.db, scope, range, LEDGER_TIMEZONE)
  const months: LedgerMonth[] = rows.map((r) => ({
    month: r.month,
    completedBookings: Number(r.completedBookings),
    hoursShared: round2(Number(r.secondsShared) / 3600),
    groupsServed: Number(r.groupsServed),
    attendees: Number(r.attendees),
    volunteerHours: round2(Number(r.volunteerSeconds) / 3600),
    averageRating: r.averageRating === null ? null : round2(Number(r.averageRating)),
    ratings: Number(r.ratings),
  }))
  return { scope, timezone: LEDGER_TIMEZONE, months }
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
