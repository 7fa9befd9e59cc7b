import type { Schema } from '@commons/client'

export type Need = Schema<'Need'>

/** `2026-11-28T09:00` from a datetime-local input, as an instant in China Standard Time. */
export const toInstant = (local: string) => (local ? `${local}:00+08:00` : '')
