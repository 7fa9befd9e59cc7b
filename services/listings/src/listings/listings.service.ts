import { isDeepStrictEqual } from 'node:util'
import type { Actor, Listing, ListingStatus, OrganizationListingsQuery, UpdateListingBody } from '@commons/contracts'
import { LISTINGS_EVENTS, ListingFields } from '@commons/contracts'
import { appendEvent, newId } from '@commons/db'
import { forbidden, notFound, preconditionFailed, validationFailed } from '@commons/service-kit'
import type { Kysely, Transaction } from 'kysely'
import type { z } from 'zod'
import type { DB, ListingRow } from '../db/schema.ts'
import type { DbClock } from '../deps.ts'
import { isModerator } from '../moderation/moderators.ts'
import { findOrganization, roleIn } from '../organizations/organizations.repository.ts'
import { assertRole, atLeast } from '../organizations/permissions.ts'
import { cursorId, pageById } from '../pagination.ts'
import { assertOwnPhotos } from '../photos/photos.repository.ts'
import { placeListing } from '../places/places.ts'
import { feedEffect, type ListingAction, nextStatus, REVIEWED_FIELDS } from './listing-machine.ts'
import {
  findListing,
  insertListing,
  listListings,
  lockListing,
  saveListing,
  toListingDto,
  toOrganizationSummary,
} from './listings.repository.ts'

/** Actions an organization's admins take on their own listings. */
export type OwnerAction = Extract<ListingAction, 'submit' | 'pause' | 'resume' | 'archive'>

/**
 * Whether the actor may see the organization's listings in every state: its members and moderators.
 * Everyone else sees published listings only, and gets 404 for the rest (their existence is private).
 */
async function seesUnpublished(db: Kysely<DB>, actor: Actor | null, organizationId: string) {
  if (!actor) return false
  return (await roleIn(db, organizationId, actor.userId)) !== undefined || (await isModerator(db, actor))
}

/** 404 unless the actor may see the listing; 403 when they see it but are not an admin of its owner. */
async function assertListingAdmin(trx: Kysely<DB>, actor: Actor, row: ListingRow) {
  const role = await roleIn(trx, row.organizationId, actor.userId)
  if (atLeast(role, 'admin')) return
  if (row.status !== 'published' && role === undefined && !(await isModerator(trx, actor))) {
    throw notFound('listing', row.id)
  }
  throw forbidden('Only admins of the organization that offers this listing may change it.')
}

/**
 * Appends what the feed must learn from a listing's change, in the change's transaction: the full
 * snapshot whenever the listing is published after it, a withdrawal when it stopped being published.
 */
export async function recordListingChange(trx: Transaction<DB>, from: ListingStatus, row: ListingRow) {
  const effect = feedEffect(from, row.status)
  if (effect === 'published') {
    const organization = await findOrganization(trx, row.organizationId)
    if (!organization) throw notFound('organization', row.organizationId)
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.listingPublished,
      entityId: row.id,
      version: row.version,
      payload: { listing: toListingDto(row), organization: toOrganizationSummary(organization) },
    })
  } else if (effect === 'withdrawn') {
    await appendEvent(trx, {
      type: LISTINGS_EVENTS.listingWithdrawn,
      entityId: row.id,
      version: row.version,
      payload: { listingId: row.id, organizationId: row.organizationId, status: row.status, version: row.version },
    })
  }
}

/** Creates a draft listing (admins and owners of the organization). */
export async function createListing(
  db: Kysely<DB>,
  actor: Actor,
  organizationId: string,
  written: ListingFields,
): Promise<Listing> {
  await assertRole(db, actor, organizationId, 'admin')
  const fields = placeListing(written)
  await assertOwnPhotos(
    db,
    organizationId,
    fields.photos.map((p) => p.id),
    'body.photos',
  )
  const row = await db.transaction().execute((trx) => insertListing(trx, newId(), organizationId, fields))
  return toListingDto(row)
}

/** A listing; unpublished ones only for the organization's members and moderators (404 for others). */
export async function getListing(db: Kysely<DB>, actor: Actor | null, id: string): Promise<Listing> {
  const row = await findListing(db, id)
  if (!row || (row.status !== 'published' && !(await seesUnpublished(db, actor, row.organizationId)))) {
    throw notFound('listing', id)
  }
  return toListingDto(row)
}

/** Zod issues of the merged listing as problem fields, named as the client wrote them (`body.…`). */
function issuesToFields(issues: z.core.$ZodIssue[]) {
  return issues.flatMap((issue) => {
    const base = ['body', ...issue.path.map(String)].join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: 'not a field of this kind of listing' }))
    }
    return [{ path: base, message: issue.message }]
  })
}

/** The listing's fields after applying a merge patch: `null` removes, nested objects are replaced whole. */
export function mergeListingFields(current: ListingFields, patch: UpdateListingBody): ListingFields {
  if (patch.kind !== undefined && patch.kind !== current.kind) {
    throw validationFailed([{ path: 'body.kind', message: 'the kind of a listing cannot change' }])
  }
  const merged: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else if (value !== undefined) merged[key] = value
  }
  const parsed = ListingFields.safeParse(merged)
  if (!parsed.success) throw validationFailed(issuesToFields(parsed.error.issues))
  return parsed.data
}

/**
 * Updates a listing's fields (admins; If-Match required). A published listing stays published, unless its
 * organization is unverified and the change touches reviewed content: then it goes back to review.
 */
export async function updateListing(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  patch: UpdateListingBody,
  ifMatch: number,
): Promise<Listing> {
  return db.transaction().execute(async (trx) => {
    const current = (await lockListing(trx, id)) ?? throwNotFound(id)
    await assertListingAdmin(trx, actor, current)
    if (ifMatch !== current.version) throw preconditionFailed()
    const fields = placeListing(mergeListingFields(current.details, patch))
    if ('photos' in patch) {
      await assertOwnPhotos(
        trx,
        current.organizationId,
        fields.photos.map((p) => p.id),
        'body.photos',
      )
    }
    const organization = await findOrganization(trx, current.organizationId)
    const reviewedContentChanged = REVIEWED_FIELDS.some(
      (key) =>
        !isDeepStrictEqual((current.details as Record<string, unknown>)[key], (fields as Record<string, unknown>)[key]),
    )
    const status = nextStatus(current.status, 'update', {
      organizationVerified: organization?.verified ?? false,
      reviewedContentChanged,
    })
    const row = await saveListing(trx, current, { fields, status }, clock.now())
    await recordListingChange(trx, current.status, row)
    return toListingDto(row)
  })
}

/**
 * Moves a locked listing through the lifecycle, records the feed event, and returns the new row. Shared
 * by the owners' actions and the moderators' approve and reject, which audit in the same transaction.
 */
export async function applyTransition(
  trx: Transaction<DB>,
  current: ListingRow,
  action: ListingAction,
  now: Date,
  opts: { rejectionReason?: string } = {},
): Promise<ListingRow> {
  const organization = await findOrganization(trx, current.organizationId)
  const status = nextStatus(current.status, action, { organizationVerified: organization?.verified ?? false })
  const row = await saveListing(
    trx,
    current,
    {
      status,
      // A rejection says why on the draft; the next submission clears it.
      rejectionReason: action === 'reject' ? (opts.rejectionReason ?? null) : action === 'submit' ? null : undefined,
      publishedAt: status === 'published' && current.status !== 'published' ? now : undefined,
    },
    now,
  )
  await recordListingChange(trx, current.status, row)
  return row
}

/** submit, pause, resume or archive (admins and owners). `ifMatch`, when given, must be the current version. */
export async function transitionListing(
  { db, clock }: DbClock,
  actor: Actor,
  id: string,
  action: OwnerAction,
  ifMatch?: number,
): Promise<Listing> {
  return db.transaction().execute(async (trx) => {
    const current = (await lockListing(trx, id)) ?? throwNotFound(id)
    await assertListingAdmin(trx, actor, current)
    if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed()
    return toListingDto(await applyTransition(trx, current, action, clock.now()))
  })
}

/** An organization's listings: all states for its members and moderators, published ones for others. */
export async function listOrganizationListings(
  db: Kysely<DB>,
  actor: Actor | null,
  organizationId: string,
  query: OrganizationListingsQuery,
) {
  if (!(await findOrganization(db, organizationId))) throw notFound('organization', organizationId)
  const afterId = cursorId(query.cursor)
  const all = await seesUnpublished(db, actor, organizationId)
  const statuses: ListingStatus[] | undefined = all
    ? query.status && [query.status]
    : query.status && query.status !== 'published'
      ? []
      : ['published']
  if (statuses?.length === 0) return { items: [], nextCursor: null }
  const rows = await listListings(db, {
    organizationId,
    statuses,
    kind: query.kind,
    afterId,
    limit: query.limit,
    order: 'desc',
  })
  return pageById(rows, query.limit, toListingDto)
}

function throwNotFound(id: string): never {
  throw notFound('listing', id)
}
