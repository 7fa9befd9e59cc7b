import type { Actor, Booking, BookingContacts, BookingStatus } from '@commons/contracts'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  type CreationParties,
  type ListingFacts,
  listingDetailsByIds,
  type OrganizationFacts,
  organizationsByIds,
} from '../listings/parties.repository.ts'

/**
 * States in which the two sides see each other's contacts: the booking was confirmed (and then took place
 * or was missed). Before that, and after a decline, expiry or cancellation, names only.
 */
export const CONTACTS_REVEALED: readonly BookingStatus[] = ['confirmed', 'completed', 'no_show']

/** A member of either side (moderators see the booking, but contacts are for the parties only). */
const isParty = (actor: Actor, b: Booking) =>
  actor.userId === b.requesterUserId ||
  Boolean(actor.roles[b.requesterOrganizationId]) ||
  Boolean(actor.roles[b.providerOrganizationId])

/** What the parties of bookings are made of: replicas of organizations and of listings' private details. */
export interface PartyFacts {
  /** Requester members' names by booking id (the DTO does not carry them). */
  bookerNames: ReadonlyMap<string, string | null>
  organizations: ReadonlyMap<string, OrganizationFacts>
  /** Listings' address and arrival details, for bookings whose contacts are revealed. */
  listings: ReadonlyMap<string, ListingFacts>
}

const contactsOf = (org: OrganizationFacts | undefined) =>
  org?.contactPerson && org.mobile
    ? { contactPerson: org.contactPerson, mobile: org.mobile, wechatId: org.wechatId }
    : null

/**
 * Adds to bookings the names of both sides and, for the parties of a confirmed booking, each side's
 * contacts, the address, arrival notes and payment terms. Used by the booking routes only: the ledger,
 * calendars and feeds build their own shapes and never see these.
 */
export async function withParties(db: Kysely<DB>, actor: Actor, bookings: Booking[]): Promise<Booking[]> {
  if (bookings.length === 0) return bookings
  const ids = bookings.map((b) => b.id)
  const [names, organizations, listings] = await Promise.all([
    db.selectFrom('bookings').select(['id', 'requesterName']).where('id', 'in', ids).execute(),
    organizationsByIds(
      db,
      bookings.flatMap((b) => [b.providerOrganizationId, b.requesterOrganizationId]),
    ),
    listingDetailsByIds(
      db,
      bookings.filter((b) => CONTACTS_REVEALED.includes(b.status)).map((b) => b.listingId),
    ),
  ])
  const bookerNames = new Map(names.map((n) => [n.id, n.requesterName]))
  return attachParties(actor, bookings, { bookerNames, organizations, listings })
}

/** `withParties` over facts already read (a creation reads them with the listing). */
export function attachParties(actor: Actor, bookings: Booking[], facts: PartyFacts): Booking[] {
  return bookings.map((b) => {
    const provider = facts.organizations.get(b.providerOrganizationId)
    const requester = facts.organizations.get(b.requesterOrganizationId)
    let contacts: BookingContacts | null = null
    if (CONTACTS_REVEALED.includes(b.status) && isParty(actor, b)) {
      const listing = facts.listings.get(b.listingId)
      contacts = {
        provider: contactsOf(provider),
        requester: contactsOf(requester),
        address: listing?.address ?? null,
        arrivalNotes: listing?.arrivalNotes || null,
        paymentTerms: listing?.paymentTerms || null,
      }
    }
    return {
      ...b,
      parties: {
        provider: { organizationId: b.providerOrganizationId, organizationName: provider?.name ?? null },
        requester: {
          organizationId: b.requesterOrganizationId,
          organizationName: requester?.name ?? null,
          bookerName: facts.bookerNames.get(b.id) ?? null,
        },
      },
      contacts,
    }
  })
}

/** One booking with its parties (see `withParties`). */
export async function withPartiesOne(db: Kysely<DB>, actor: Actor, booking: Booking): Promise<Booking> {
  return (await withParties(db, actor, [booking]))[0]!
}

/** The facts `attachParties` needs for a booking just created, from what `creationParties` read. */
export function creationFacts(booking: Booking, bookerName: string | null, read: CreationParties): PartyFacts {
  return {
    bookerNames: new Map([[booking.id, bookerName]]),
    organizations: new Map(read.organizations.map((o) => [o.organizationId, o])),
    listings: new Map([[booking.listingId, read.listing]]),
  }
}
