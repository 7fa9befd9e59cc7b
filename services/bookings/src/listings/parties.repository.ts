import type { ListingPrivateDetails, OrganizationContacts } from '@commons/contracts'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/*
 * Replicas of organizations' names and contacts and of listings' arrival details. Each part keeps its own
 * version, so a replayed or late event never rolls it back (delivery is at least once).
 */

export async function upsertOrganizationName(
  trx: Transaction<DB>,
  organizationId: string,
  name: string,
  version: number,
) {
  await trx
    .insertInto('organizationReplica')
    .values({ organizationId, name, version })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet({ name, version }).where('organizationReplica.version', '<', version),
    )
    .execute()
}

export async function upsertOrganizationContacts(
  trx: Transaction<DB>,
  organizationId: string,
  contacts: OrganizationContacts | null,
  version: number,
) {
  const values = {
    contactPerson: contacts?.contactPerson ?? null,
    mobile: contacts?.mobile ?? null,
    wechatId: contacts?.wechatId ?? null,
    contactsVersion: version,
  }
  await trx
    .insertInto('organizationReplica')
    .values({ organizationId, name: null, ...values })
    .onConflict((oc) =>
      oc.column('organizationId').doUpdateSet(values).where('organizationReplica.contactsVersion', '<', version),
    )
    .execute()
}

export async function upsertListingPrivateDetails(
  trx: Transaction<DB>,
  listingId: string,
  details: ListingPrivateDetails,
  version: number,
) {
  await trx
    .insertInto('listingPrivateReplica')
    .values({ listingId, ...details, version })
    .onConflict((oc) =>
      oc
        .column('listingId')
        .doUpdateSet({ ...details, version })
        .where('listingPrivateReplica.version', '<', version),
    )
    .execute()
}

/** Names and contacts of organizations by id (those the replica holds). */
export async function organizationsByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, OrganizationReplica>()
  const rows = await db
    .selectFrom('organizationReplica')
    .selectAll()
    .where('organizationId', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.organizationId, r]))
}
export type OrganizationReplica = Awaited<ReturnType<typeof organizationReplicaRow>>
const organizationReplicaRow = (db: Kysely<DB>) =>
  db.selectFrom('organizationReplica').selectAll().executeTakeFirstOrThrow()

/** Arrival details and addresses of listings by id. */
export async function listingDetailsByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0)
    return new Map<string, { address: string | null; arrivalNotes: string | null; paymentTerms: string | null }>()
  const rows = await db
    .selectFrom('listingReplica')
    .leftJoin('listingPrivateReplica', 'listingPrivateReplica.listingId', 'listingReplica.listingId')
    .select([
      'listingReplica.listingId',
      'listingReplica.address',
      'listingPrivateReplica.arrivalNotes',
      'listingPrivateReplica.paymentTerms',
    ])
    .where('listingReplica.listingId', 'in', [...new Set(ids)])
    .execute()
  return new Map(rows.map((r) => [r.listingId, r]))
}
