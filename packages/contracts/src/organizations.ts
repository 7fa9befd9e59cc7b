import { z } from 'zod'
import { Id, Instant } from './common.ts'
import { PhotoId } from './photos.ts'

/** What kind of grassroots organization this is. */
export const OrganizationKind = z
  .enum([
    'party_branch',
    'trade_union',
    'youth_league',
    'womens_federation',
    'residents_committee',
    'social_organization',
    'enterprise',
    'other',
  ])
  .meta({ id: 'OrganizationKind' })
export type OrganizationKind = z.infer<typeof OrganizationKind>

/** An organization's public profile. */
export const Organization = z
  .object({
    id: Id,
    name: z.string(),
    kind: OrganizationKind,
    district: z.string(),
    city: z.string(),
    districtCode: z
      .string()
      .nullable()
      .default(null)
      .describe('GB/T 2260 code of the district; null for organizations whose place names no known district'),
    description: z.string(),
    logo: PhotoId.nullable()
      .default(null)
      .describe('One of its uploaded photos (see photoUrl); events written before logos existed lack it'),
    verified: z.boolean().describe('Set by moderators after checking the organization is what it says'),
    version: z.number().int(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Organization' })
export type Organization = z.infer<typeof Organization>

/** The organization facts other services keep next to a listing (denormalised from organization events). */
export const OrganizationSummary = z
  .object({ id: Id, name: z.string(), kind: OrganizationKind, verified: z.boolean() })
  .meta({ id: 'OrganizationSummary' })
export type OrganizationSummary = z.infer<typeof OrganizationSummary>
