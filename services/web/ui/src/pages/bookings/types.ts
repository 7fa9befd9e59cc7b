import type { Schema } from '@commons/client'

export type Booking = Schema<'Booking'>
export type Role = 'requester' | 'provider' | 'moderator'
export type Action = 'accept' | 'decline' | 'cancel' | 'complete' | 'no-show'

/** The states in which a booking can still be cancelled. */
export const OPEN: Booking['status'][] = ['pending_payment', 'requested', 'confirmed']
