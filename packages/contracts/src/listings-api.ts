import { z } from 'zod'
import { CityName, CursorQuery, cursorPage, Id, Instant, text } from './common.ts'
import {
  ExpertiseFields,
  Listing,
  ListingFields,
  ListingKind,
  ListingStatus,
  VenueFields,
  VolunteerTimeFields,
} from './listings.ts'
import { Need, NeedFields } from './needs.ts'

/*
 * Requests and responses of the listings, needs and moderation routes. The domain shapes themselves
 * (ListingFields, Listing, NeedFields, Need) live in listings.ts and needs.ts.
 */

/** Body of `POST /v1/organizations/:id/listings`: the listing's fields; it starts as a draft. */
export const CreateListingBody = ListingFields

/**
 * Every field a client may write, optional and without defaults, so a partial body never resets a field
 * it did not name. `null` removes an optional field (JSON merge patch, RFC 7396, at the top level);
 * nested objects (location, pricing, rules, availability) are replaced whole.
 */
function patchShape<S extends z.ZodRawShape>(shapes: S[]) {
  const shape: Record<string, z.ZodType> = {}
  for (const s of shapes) {
    for (const [key, schema] of Object.entries(s) as Array<[string, z.ZodType]>) {
      if (key === 'kind' || key in shape) continue
      const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema
      const bare = inner instanceof z.ZodOptional ? (inner.unwrap() as z.ZodType) : inner
      shape[key] = bare.nullable().optional()
    }
  }
  return shape
}

/**
 * Body of `PATCH /v1/listings/:id` (needs If-Match). The service merges it into the current listing and
 * validates the whole with ListingFields, so an error names the field. `kind` may be repeated but not
 * changed; fields of another kind, and server-set ones (status, version, organizationId, timestamps), are
 * refused with 400.
 */
export const UpdateListingBody = z
  .strictObject({
    kind: ListingKind.optional(),
    ...patchShape([VenueFields.shape, ExpertiseFields.shape, VolunteerTimeFields.shape]),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' })
  .meta({ id: 'UpdateListingBody' })
export type UpdateListingBody = z.infer<typeof UpdateListingBody>

/** Query of `GET /v1/organizations/:id/listings`. The public sees published listings only. */
export const OrganizationListingsQuery = CursorQuery.extend({
  status: ListingStatus.optional(),
  kind: ListingKind.optional(),
})
export type OrganizationListingsQuery = z.infer<typeof OrganizationListingsQuery>

/** A page of listings. */
export const ListingPage = cursorPage(Listing).meta({ id: 'ListingPage' })

/** Body of `POST /v1/needs`: the organization posting it and the need's fields. */
export const CreateNeedBody = NeedFields.extend({ organizationId: Id }).meta({ id: 'CreateNeedBody' })
export type CreateNeedBody = z.infer<typeof CreateNeedBody>

/** Body of `PATCH /v1/needs/:id` (needs If-Match): merged into the need, then validated whole. */
export const UpdateNeedBody = z
  .strictObject(patchShape([NeedFields.shape]))
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' })
  .meta({ id: 'UpdateNeedBody' })
export type UpdateNeedBody = z.infer<typeof UpdateNeedBody>

/** Query of `GET /v1/needs`: open needs, newest first (`status` widens it, e.g. to a group's closed needs). */
export const NeedsQuery = CursorQuery.extend({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  kind: ListingKind.optional(),
  city: CityName.optional(),
  district: z.string().trim().min(1).max(40).optional(),
  organizationId: Id.optional(),
})
export type NeedsQuery = z.infer<typeof NeedsQuery>

/** A page of needs. */
export const NeedPage = cursorPage(Need).meta({ id: 'NeedPage' })

/** Query of the moderators' review queue (oldest first, so nothing waits forever). */
export const ModerationListingsQuery = CursorQuery.extend({ status: ListingStatus.default('pending_review') })
export type ModerationListingsQuery = z.infer<typeof ModerationListingsQuery>

/** Body of `POST /v1/moderation/listings/:id/reject`: why; the organization sees it on the draft. */
export const RejectListingBody = z
  .strictObject({ reason: text({ min: 2, max: 1000, multiline: true }) })
  .meta({ id: 'RejectListingBody' })

/** What moderators did, and what the system did to protect an account (`account.login_throttled`). */
export const AuditAction = z
  .enum([
    'listing.approve',
    'listing.reject',
    'organization.verify',
    'moderator.grant',
    'moderator.revoke',
    'account.login_throttled',
  ])
  .meta({ id: 'AuditAction' })
export type AuditAction = z.infer<typeof AuditAction>

/** One moderation action: who, when, what, on which object, and why. */
export const AuditEntry = z
  .object({
    id: Id,
    actorId: Id.nullable().describe('The moderator; null when an operator used the command line'),
    actorName: z.string().nullable(),
    action: AuditAction,
    objectType: z.enum(['listing', 'organization', 'user']),
    objectId: Id,
    objectName: z
      .string()
      .nullable()
      .describe("The object's title or name as it is now; null when the object no longer exists"),
    reason: z.string().nullable(),
    createdAt: Instant,
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntry = z.infer<typeof AuditEntry>

/** A page of the audit log, newest first. */
export const AuditPage = cursorPage(AuditEntry).meta({ id: 'AuditPage' })
