import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { ListingKind } from './listings.ts'

/**
 * Where a link between an organization and its parent stands: the child's admin asks (`pending`), the
 * parent's admin confirms (`confirmed`). Only confirmed links count for overviews and quotas.
 */
export const ParentLinkStatus = z.enum(['pending', 'confirmed']).meta({ id: 'ParentLinkStatus' })
export type ParentLinkStatus = z.infer<typeof ParentLinkStatus>

/** An organization's link to its parent (街道党工委 → 社区党委 → 支部). */
export const ParentLink = z
  .object({
    organizationId: Id,
    organizationName: z.string(),
    parentId: Id,
    parentName: z.string(),
    status: ParentLinkStatus,
    requestedAt: Instant,
    confirmedAt: Instant.nullable(),
  })
  .meta({ id: 'ParentLink' })
export type ParentLink = z.infer<typeof ParentLink>

/** Body of `PUT /v1/organizations/:id/parent`: the child's admin names the parent. */
export const RequestParentBody = z.strictObject({ parentId: Id }).meta({ id: 'RequestParentBody' })
export type RequestParentBody = z.infer<typeof RequestParentBody>

/**
 * `GET /v1/organizations/:id/hierarchy`: the organization's parent link and its children. Confirmed links are
 * public; pending ones are shown only to admins of the organization that can act on them.
 */
export const OrganizationHierarchy = z
  .object({
    parent: ParentLink.nullable(),
    children: z.array(ParentLink),
  })
  .meta({ id: 'OrganizationHierarchy' })
export type OrganizationHierarchy = z.infer<typeof OrganizationHierarchy>

/** A monthly cap of booked hours of one listing kind, per organization below the parent that sets it. */
export const Quota = z
  .strictObject({
    kind: ListingKind,
    hoursPerMonth: z.number().int().min(0).max(744),
  })
  .meta({ id: 'Quota' })
export type Quota = z.infer<typeof Quota>

/**
 * A parent's fair-share quotas: each organization below it may book at most `hoursPerMonth` hours of the
 * kind per calendar month (listing time zone, by booking start) at listings the parent owns.
 */
export const Quotas = z
  .strictObject({
    quotas: z
      .array(Quota)
      .max(3)
      .refine((qs) => new Set(qs.map((q) => q.kind)).size === qs.length, { message: 'one quota per kind' }),
  })
  .meta({ id: 'Quotas' })
export type Quotas = z.infer<typeof Quotas>

/** Extra members of a `quota_exceeded` problem: what the cap allows and what remains this month. */
export const QuotaExceededDetails = z
  .object({
    kind: ListingKind,
    month: z.string().describe('YYYY-MM in the listing time zone'),
    hoursPerMonth: z.number(),
    usedHours: z.number(),
    requestedHours: z.number(),
    remainingHours: z.number(),
  })
  .meta({ id: 'QuotaExceededDetails' })
export type QuotaExceededDetails = z.infer<typeof QuotaExceededDetails>
