import type { ListingPrivateDetails, OrganizationContacts } from '@commons/contracts'
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
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

export type OrganizationFacts = Pick<OrganizationReplica, 'name' | 'contactPerson' | 'mobile' | 'wechatId'>
export interface ListingFacts {
  address: string | null
  arrivalNotes: string | null
  paymentTerms: string | null
}

/** The parties' replicas as a creation reads them, in the listing's own round trip (`listingWithBusy`'s extra). */
export interface CreationParties {
  organizations: Array<OrganizationFacts & { organizationId: string }>
  listing: ListingFacts
}

/**
 * A scalar SQL expression over the listing row `l`: both sides' organization replicas and the listing's
 * private details, so a creation answers with its parties without reading them again after commit.
 */
export function creationParties(requesterOrganizationId: string): RawBuilder<CreationParties> {
  return sql<CreationParties>`json_build_object(
    'organizations', (
      select coalesce(json_agg(json_build_object('organizationId', o.organization_id, 'name', o.name,
        'contactPerson', o.contact_person, 'mobile', o.mobile, 'wechatId', o.wechat_id)), '[]'::json)
      from organization_replica o
      where o.organization_id in (l.organization_id, ${requesterOrganizationId}::uuid)),
    'listing', (
      select json_build_object('address', l.address, 'arrivalNotes', d.arrival_notes, 'paymentTerms', d.payment_terms)
      from (select 1) one left join listing_private_replica d on d.listing_id = l.listing_id))`
}
