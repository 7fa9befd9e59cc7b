import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { ListingKind } from './listings.ts'

const KindCounts = z.object({ venue: z.number().int(), expertise: z.number().int(), volunteer_time: z.number().int() })

/** One cell of the unmet-demand table: demand and supply of one kind of resource in one district. */
export const UnmetDemandCell = z
  .object({
    district: z.string(),
    category: ListingKind,
    openNeeds: z.number().int().describe('Open needs of the organizations in scope'),
    surveyDemand: z
      .number()
      .int()
      .nullable()
      .describe('Survey answers asking for this kind (null: fewer than 5, suppressed)'),
    listings: z.number().int().describe('Published listings of this kind in the district, by anyone'),
    unmet: z.boolean().describe('Demand and no listing of the kind in the district'),
  })
  .meta({ id: 'UnmetDemandCell' })
export type UnmetDemandCell = z.infer<typeof UnmetDemandCell>

/**
 * `GET /v1/overview/organizations/:id`: a parent organization's figures across itself and every
 * organization below it (confirmed links). Aggregates only; nothing personal.
 */
export const OrganizationOverview = z
  .object({
    organizationId: Id,
    name: z.string().nullable(),
    asOf: Instant,
    organizations: z.array(z.object({ id: Id, name: z.string().nullable(), depth: z.number().int() })),
    listings: z.object({
      published: z.number().int(),
      byKind: KindCounts,
      byDistrict: z.array(z.object({ district: z.string(), kind: ListingKind, count: z.number().int() })),
    }),
    bookings: z.object({
      completedAsProvider: z.number().int(),
      hoursShared: z.number(),
      completedAsRequester: z.number().int(),
      hoursUsed: z.number(),
    }),
    activities: z.object({ held: z.number().int(), peopleServed: z.number().int() }),
    needs: z.object({
      open: z.number().int(),
      byKind: KindCounts,
      averageWaitDays: z.number().nullable(),
      longestWaitDays: z.number().nullable(),
    }),
    surveyDemand: z.array(
      z.object({ category: ListingKind, district: z.string(), answers: z.number().int().nullable() }),
    ),
    unmetDemand: z.array(UnmetDemandCell),
  })
  .meta({ id: 'OrganizationOverview' })
export type OrganizationOverview = z.infer<typeof OrganizationOverview>
