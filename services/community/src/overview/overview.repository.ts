import {
  type FeedEvent,
  LISTINGS_EVENTS,
  ListingPublishedPayload,
  ListingWithdrawnPayload,
  NeedClosedPayload,
  NeedOpenedPayload,
} from '@commons/contracts'
import { applyParentChanged } from '@commons/db'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/** The organization and every organization below it by confirmed links, with their depth (bounded). */
export async function scopeOf(db: Kysely<DB>, organizationId: string) {
  const { rows } = await sql<{ id: string; depth: number; name: string | null }>`
    with recursive down (id, depth) as (
      select ${organizationId}::uuid, 0
      union
      select p.organization_id, down.depth + 1
        from organization_parents p join down on p.parent_id = down.id
       where down.depth < 64
    )
    select down.id, min(down.depth)::int as depth, o.name
      from down left join organizations o on o.id = down.id
     group by down.id, o.name
     order by depth, o.name
  `.execute(db)
  return rows
}

export const publishedSurveysOf = (db: Kysely<DB>, organizationIds: string[]) =>
  db
    .selectFrom('surveys')
    .select(['id', 'questions'])
    .where('organizationId', 'in', organizationIds)
    .where('status', '=', 'published')
    .execute()

export const answersOfSurveys = (db: Kysely<DB>, surveyIds: string[]) =>
  db
    .selectFrom('surveyResponses')
    .select(['surveyId', 'answers', 'district'])
    .where('surveyId', 'in', surveyIds)
    .execute()

/** Published listings of the organizations, counted by kind and district. */
export const publishedListingsOf = (db: Kysely<DB>, organizationIds: string[]) =>
  db
    .selectFrom('overviewListings')
    .select(['kind', 'district', (eb) => eb.fn.countAll<string>().as('n')])
    .where('organizationId', 'in', organizationIds)
    .where('published', '=', true)
    .groupBy(['kind', 'district'])
    .orderBy('district')
    .orderBy('kind')
    .execute()

export const openNeedsOf = (db: Kysely<DB>, organizationIds: string[]) =>
  db
    .selectFrom('overviewNeeds')
    .select(['kind', 'district', 'openedAt'])
    .where('organizationId', 'in', organizationIds)
    .where('open', '=', true)
    .execute()

/** Published listings of anyone in the districts, counted by district and kind. */
export const supplyIn = (db: Kysely<DB>, districts: string[]) =>
  db
    .selectFrom('overviewListings')
    .select(['district', 'kind', (eb) => eb.fn.countAll<string>().as('n')])
    .where('published', '=', true)
    .where('district', 'in', districts)
    .groupBy(['district', 'kind'])
    .execute()

/** Completed bookings of the organizations on one side, and their hours. */
export async function bookingTotals(
  db: Kysely<DB>,
  side: 'providerOrganizationId' | 'requesterOrganizationId',
  ids: string[],
) {
  const row = await db
    .selectFrom('bookings')
    .select([
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string>`coalesce(sum(extract(epoch from (end_at - start_at))), 0) / 3600`.as('hours'),
    ])
    .where(side, 'in', ids)
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow()
  return { count: Number(row.n), hours: Number(row.hours) }
}

/** Activities that took place (published, ended) and the people checked in at them as attendees. */
export async function activityTotals(db: Kysely<DB>, ids: string[], now: Date) {
  const held = db
    .selectFrom('activities')
    .select('id')
    .where('organizationId', 'in', ids)
    .where('status', '=', 'published')
    .where('endAt', '<=', now)
  const [activities, served] = await Promise.all([
    db
      .selectFrom(held.as('held'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('registrations')
      .select((eb) => eb.fn.count<string>('userId').distinct().as('n'))
      .where('activityId', 'in', held)
      .where('role', '=', 'attendee')
      .where('checkedInAt', 'is not', null)
      .executeTakeFirstOrThrow(),
  ])
  return { held: Number(activities.n), peopleServed: Number(served.n) }
}

/**
 * Applies the listings-feed events overviews count: parent links, listings' kind and district, needs.
 * Idempotent by version: an event not newer than the stored row changes nothing.
 */
export async function applyOverviewEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type === LISTINGS_EVENTS.organizationParentChanged) {
    await applyParentChanged(trx, event.payload)
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
