/** Durations in milliseconds, for the rules that speak in minutes, hours and days. */
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
