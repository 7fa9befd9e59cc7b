import { z } from 'zod'

export const OrgRole = z.enum(['owner', 'admin', 'member']).meta({ id: 'OrgRole' })
export type OrgRole = z.infer<typeof OrgRole>

/**
 * Claims of an access token (JWT, EdDSA). `orgs` maps organization id to the user's role there, so other
 * services authorise without calling listings.
 */
export const AccessTokenClaims = z.object({
  sub: z.uuid(),
  orgs: z.record(z.string(), OrgRole).default({}),
  mod: z.boolean().default(false),
  /** The display name when the token was signed: bookings keep it as the booker's name. */
  name: z.string().max(80).optional(),
})
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>

/** Who is calling, derived from a verified access token. */
export interface Actor {
  userId: string
  roles: Readonly<Record<string, OrgRole>>
  moderator: boolean
  /** The display name the token carried (absent in tokens signed before it did). */
  displayName?: string
}

/** The issuer and audience every access token carries. */
export const TOKEN_ISSUER = 'commons:listings'
export const TOKEN_AUDIENCE = 'commons'
