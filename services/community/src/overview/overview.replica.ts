import {
  type FeedEvent,
  LISTINGS_EVENTS,
  ListingPublishedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
  OrganizationParentChangedPayload,
} from '@commons/contracts'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Applies the listings-feed events overviews count: parent links, listings' kind and district, needs.
 * Idempotent by version: an event not newer than the stored row changes nothing.
 */
export async function applyOverviewEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type === LISTINGS_EVENTS.organizationParentChanged) {
    const { organizationId, parentId, version } = OrganizationParentChangedPayload.parse(event.payload)
    await trx
      .insertInto('organizationParents')
      .values({ organizationId, parentId, version })
      .onConflict((oc) =>
        oc
          .column('organizationId')
          .doUpdateSet({ parentId, version })
          .where('organizationParents.version', '<', version),
      )
      .execute()
  } else if (event.type === LISTINGS_EVENTS.listingPublished) {
    const { listing } = ListingPublishedPayload.parse(event.payload)
    const row = {
      id: listing.id,
      version: listing.version,
      organizationId: listing.organizationId,
      kind: listing.kind,
      district: listing.location.district,
      published: true,
    }
    await trx
      .insertInto('overviewListings')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row).where('overviewListings.version', '<', listing.version))
      .execute()
  } else if (event.type === LISTINGS_EVENTS.listingWithdrawn) {
    const { listingId, version } = ListingWithdrawnPayload.parse(event.payload)
    await trx
      .updateTable('overviewListings')
      .set({ published: false, version })
      .where('id', '=', listingId)
      .where('version', '<', version)
      .execute()
  } else if (event.type === LISTINGS_EVENTS.needOpened) {
    const { need } = NeedOpenedPayload.parse(event.payload)
    const row = {
      id: need.id,
      version: need.version,
      organizationId: need.organizationId,
      kind: need.kind,
      district: need.district,
      open: need.status === 'open',
      openedAt: new Date(need.createdAt),
    }
    await trx
      .insertInto('overviewNeeds')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row).where('overviewNeeds.version', '<', need.version))
      .execute()
  } else if (event.type === LISTINGS_EVENTS.needClosed) {
    const { needId, version } = NeedClosedPayload.parse(event.payload)
    await trx
      .updateTable('overviewNeeds')
      .set({ open: false, closedAt: new Date(event.occurredAt), version })
      .where('id', '=', needId)
      .where('version', '<', version)
      .execute()
  }
}
