import type { Schema } from '@commons/client'

export type Listing = Schema<'Listing'>
export type Slot = Schema<'Slot'>
export const DAY = 86_400_000
