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
  /**
   * The user's token epoch when signed: logging out raises it, and every service refuses tokens of an
   * older epoch (see ACCESS_EVENTS in events/listings.ts).
   */
  ep: z.number().int().nonnegative().default(0),
  /** The user's access version when signed (grows with every moderator grant, revoke and logout). */
  av: z.number().int().nonnegative().default(0),
  /**
   * Per organization in `orgs` (and any the user just left), the membership version when signed. A service
   * believes a claim only while its replica of that organization's members is older than the token.
   */
  ov: z.record(z.string(), z.number().int().nonnegative()).default({}),
})
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>

/** Who is calling, derived from a verified access token. */
export interface Actor {
  userId: string
  roles: Readonly<Record<string, OrgRole>>
  moderator: boolean
  /** The display name the token carried (absent in tokens signed before it did). */
  displayName?: string
  /**
   * What the token said and when (its versions): services replace `roles` and `moderator` with their
   * replica's current state unless the token is newer (see resolveActor in @commons/db).
   */
  tokenState?: { epoch: number; accessVersion: number; orgVersions: Readonly<Record<string, number>> }
}

/** The issuer and audience every access token carries. */
export const TOKEN_ISSUER = 'commons:listings'
export const TOKEN_AUDIENCE = 'commons'
