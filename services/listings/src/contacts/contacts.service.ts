import type { Actor, ListingPrivateDetails, OrganizationContacts } from '@commons/contracts'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { notFound } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { findListing } from '../listings/listings.repository.ts'
import { lockOrganization } from '../organizations/organizations.repository.ts'
import { assertRole } from '../organizations/permissions.ts'
import { findContacts, findPrivateDetails, saveContacts, savePrivateDetails } from './contacts.repository.ts'

/*
 * Contacts and arrival details are private: members of the organization read them here, and bookings learns
 * them from private.* feed events to show them to the other side of a confirmed booking. No public route
 * and no event that discovery indexes carries them.
 */

/** An organization's contacts, for its members. */
export async function getContacts(db: Kysely<DB>, actor: Actor, organizationId: string) {
  await assertRole(db, actor, organizationId, 'member')
  return { contacts: await findContacts(db, organizationId) }
}

/** Sets an organization's contacts (admins and owners). */
export async function putContacts(
  { db, clock }: DbClock,
  actor: Actor,
  organizationId: string,
  input: OrganizationContacts,
) {
  await assertRole(db, actor, organizationId, 'admin')
  return db.transaction().execute(async (trx) => {
    // Serialises with other changes of the organization, so the event versions follow the commits.
    await lockOrganization(trx, organizationId)
    const version = await saveContacts(trx, organizationId, input, clock.now())
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.organizationContacts,
      entityId: organizationId,
      version,
      payload: { organizationId, contacts: input },
    })
    return { contacts: input }
  })
}

async function listingOrganization(db: Kysely<DB>, listingId: string) {
  const listing = await findListing(db, listingId)
  if (!listing) throw notFound('listing', listingId)
  return listing.organizationId
}

/** A listing's arrival notes and payment terms, for members of its organization (404 to anyone else). */
export async function getPrivateDetails(db: Kysely<DB>, actor: Actor, listingId: string) {
  const organizationId = await listingOrganization(db, listingId)
  await assertRole(db, actor, organizationId, 'member').catch(() => {
    throw notFound('listing', listingId)
  })
  return { details: await findPrivateDetails(db, listingId) }
}

/** Sets a listing's arrival notes and payment terms (admins and owners of its organization). */
export async function putPrivateDetails(
  { db, clock }: DbClock,
  actor: Actor,
  listingId: string,
  input: ListingPrivateDetails,
) {
  const organizationId = await listingOrganization(db, listingId)
  await assertRole(db, actor, organizationId, 'admin')
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('listings').select('id').where('id', '=', listingId).forUpdate().execute()
    const version = await savePrivateDetails(trx, listingId, input, clock.now())
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.listingPrivateDetails,
      entityId: listingId,
      version,
      payload: { listingId, organizationId, details: input },
    })
    return { details: input }
  })
}
