/**
 * Survey windows and plans are entered in China Standard Time, which has no daylight saving: a fixed +08:00
 * turns a `datetime-local` value into an instant the same way wherever the browser is.
 */
const OFFSET_MS = 8 * 3_600_000

/** An instant as a `datetime-local` value in Asia/Shanghai. */
export function localInput(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 16)
}

/** A `datetime-local` value (Asia/Shanghai) as an RFC 3339 instant. */
export function fromLocalInput(value: string): string {
  return new Date(`${value}:00+08:00`).toISOString()
}
