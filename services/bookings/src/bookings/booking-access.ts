import type { Actor } from '@commons/contracts'
import { forbidden, notFound } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { BookingRow, DB } from '../db/schema.ts'
import type { Party } from './booking-machine.ts'
import { findBooking, lockBooking } from './bookings.repository.ts'

/** Whether the actor may see a booking: its participants (either organization, the booking member) and moderators. */
export const canSee = (actor: Actor, row: BookingRow): boolean =>
  actor.moderator ||
  actor.userId === row.requesterUserId ||
  Boolean(actor.roles[row.requesterOrganizationId]) ||
  Boolean(actor.roles[row.providerOrganizationId])

/** The roles the actor plays in a booking. */
export function partiesOf(actor: Actor, row: BookingRow): Party[] {
  const parties: Party[] = []
  const providerRole = actor.roles[row.providerOrganizationId]
  if (providerRole === 'owner' || providerRole === 'admin') parties.push('provider')
  if (actor.roles[row.requesterOrganizationId] || actor.userId === row.requesterUserId) parties.push('requester')
  return parties
}

/** A booking the actor may see; a 404 problem for anyone else (a booking is private to its participants). */
export async function visibleBooking(db: Kysely<DB>, actor: Actor, id: string): Promise<BookingRow> {
  const row = await findBooking(db, id)
  if (!row || !canSee(actor, row)) throw notFound('booking', id)
  return row
}

/** Locks a booking the actor may see (404 otherwise), with the parties the actor acts for. */
export async function lockVisibleBooking(trx: Transaction<DB>, actor: Actor, id: string) {
  const row = await lockBooking(trx, id)
  if (!row || !canSee(actor, row)) throw notFound('booking', id)
  return { row, parties: partiesOf(actor, row) }
}

/**
 * 403 `own_organization` for a moderator overriding the usual permissions on a booking of an organization
 * they belong to (either side) or that they made: their override would be a ruling in their own cause, as
 * listings' moderators do not review their own listings. Their ordinary rights as a party are untouched.
 */
export function assertOverrideNotOwn(actor: Actor, row: BookingRow): void {
  if (
    actor.userId === row.requesterUserId ||
    actor.roles[row.requesterOrganizationId] ||
    actor.roles[row.providerOrganizationId]
  )
    throw forbidden(
      'Moderators may not override bookings of organizations they belong to; another moderator will.',
      'own_organization',
    )
}

/** Locks a booking the actor may see, refusing unless they act for its provider (or moderate). */
export async function lockAsProvider(trx: Transaction<DB>, actor: Actor, id: string, refusal: string) {
  const locked = await lockVisibleBooking(trx, actor, id)
  if (!locked.parties.includes('provider')) {
    if (!actor.moderator) throw forbidden(refusal)
    assertOverrideNotOwn(actor, locked.row)
  }
  return locked
}
