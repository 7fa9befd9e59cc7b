import type { Schema } from '@commons/client'
import { formatDateTime, lang } from '../../lib/i18n.ts'

export type Activity = Schema<'Activity'>
export type Registration = Schema<'Registration'>
export type MyRegistration = Schema<'MyRegistration'>
export type Scorecard = Schema<'Scorecard'>

/** Activities are held in China: every day and time on these pages is China Standard Time. */
export const ZONE = 'Asia/Shanghai'
const OFFSET = '+08:00'

/** `2026-11-28T09:00` from a datetime-local input, as an instant in China Standard Time. */
export const toInstant = (local: string) => (local ? `${local}:00${OFFSET}` : '')

/** An instant as a datetime-local value in China Standard Time (for editing). */
export function toLocalInput(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600_000)
  return shifted.toISOString().slice(0, 16)
}

/** `YYYY-MM-DD` of an instant in China Standard Time. */
export const dayOf = (iso: string) => toLocalInput(iso).slice(0, 10)

/** The instant a China Standard Time day starts. */
export const dayStart = (day: string) => `${day}T00:00:00${OFFSET}`

/** The day after `day` (both `YYYY-MM-DD`). */
export function nextDay(day: string, n = 1): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** When an activity is held, as one line: the day and both times, or both days when it spans several. */
export function activityWhen(a: Pick<Activity, 'start' | 'end'>): string {
  const start = formatDateTime(a.start, ZONE)
  const sameDay = dayOf(a.start) === dayOf(a.end)
  const end = sameDay
    ? new Intl.DateTimeFormat(lang.get(), { timeStyle: 'short', timeZone: ZONE }).format(new Date(a.end))
    : formatDateTime(a.end, ZONE)
  return `${start} – ${end}`
}

/** Whether the activity's end has passed by this browser's clock. */
export const hasEnded = (a: Pick<Activity, 'end'>) => Date.parse(a.end) <= Date.now()
