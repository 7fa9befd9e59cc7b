import type { ListingPrivateDetails, OrganizationContacts } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

export async function findContacts(db: Kysely<DB>, organizationId: string): Promise<OrganizationContacts | null> {
  const row = await db
    .selectFrom('organizationContacts')
    .select(['contactPerson', 'mobile', 'wechatId'])
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
  return row ?? null
}

/** Writes an organization's contacts; returns the new version (1 on the first write). */
export async function saveContacts(
  trx: Transaction<DB>,
  organizationId: string,
  contacts: OrganizationContacts,
  now: Date,
) {
  const row = await trx
    .insertInto('organizationContacts')
    .values({ organizationId, ...contacts })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet((eb) => ({
        ...contacts,
        version: eb('organizationContacts.version', '+', 1),
        updatedAt: now,
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}

export async function findPrivateDetails(db: Kysely<DB>, listingId: string): Promise<ListingPrivateDetails> {
  const row = await db
    .selectFrom('listingPrivateDetails')
    .select(['arrivalNotes', 'paymentTerms'])
    .where('listingId', '=', listingId)
    .executeTakeFirst()
  return row ?? { arrivalNotes: '', paymentTerms: '' }
}

/** Writes a listing's private details; returns the new version. */
export async function savePrivateDetails(
  trx: Transaction<DB>,
  listingId: string,
  details: ListingPrivateDetails,
  now: Date,
) {
  const row = await trx
    .insertInto('listingPrivateDetails')
    .values({ listingId, ...details })
    .onConflict((oc) =>
      oc.column('listingId').doUpdateSet((eb) => ({
        ...details,
        version: eb('listingPrivateDetails.version', '+', 1),
        updatedAt: now,
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}
