import { timingSafeEqual } from 'node:crypto'
import { AccessTokenClaims, type Actor, type ProblemCode, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import type { FastifyRequest } from 'fastify'
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose'
import { AppError, forbidden, serviceUnavailable, unauthorized } from './errors.ts'

/** Where a service gets the public keys that verify access tokens. */
export type KeySource = JWTVerifyGetKey

/** Keys from a JWKS URL (fetched lazily, cached and refreshed by jose when an unknown `kid` shows up). */
export function remoteKeys(jwksUrl: string): KeySource {
  return createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 })
}

/** The problem code of a token whose `kid` names no published key (or that has no `kid`). */
export const UNKNOWN_KEY = 'unknown_key' satisfies ProblemCode

/** A verified token's actor and its expiry (epoch seconds, as in the `exp` claim). */
interface VerifiedToken {
  actor: Actor
  exp: number
}

// Verified tokens per key source, by the token's exact text, until they expire. An Ed25519 check plus the
// claims' parsing cost more per request than anything else outside the database (issue 17), and a client
// sends the same access token for its whole life (about 15 minutes). What the token does not decide stays
// per request: revocation (token epoch) and roles are checked against current state by `resolveActor`.
// A key withdrawn from the JWKS still lets the tokens it verified pass until they expire.
const verifiedByKeys = new WeakMap<KeySource, Map<string, VerifiedToken>>()
const VERIFIED_LIMIT = 10_000

/** jose's notion of now for `exp`: whole seconds of the real clock. */
const epochSeconds = () => Math.floor(Date.now() / 1000)

/** A copy, so a caller that changes its actor never changes what later requests with the token get. */
const copyActor = (actor: Actor): Actor => ({ ...actor, roles: { ...actor.roles } })

/**
 * Verifies a bearer access token and returns the actor it speaks for. A token verified before answers
 * from memory until its `exp`; an expired one is verified again, so it fails as `token_expired`.
 */
export async function verifyAccessToken(keys: KeySource, token: string): Promise<Actor> {
  let verified = verifiedByKeys.get(keys)
  if (!verified) {
    verified = new Map()
    verifiedByKeys.set(keys, verified)
  }
  const known = verified.get(token)
  if (known && epochSeconds() < known.exp) return copyActor(known.actor)
  if (known) verified.delete(token)
  const { actor, exp } = await verifyToken(keys, token)
  if (exp !== undefined) {
    // Oldest first out: Map keeps insertion order.
    if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!)
    verified.set(token, { actor, exp })
  }
  return copyActor(actor)
}

async function verifyToken(keys: KeySource, token: string): Promise<{ actor: Actor; exp: number | undefined }> {
  let payload: unknown
  try {
    ;({ payload } = await jwtVerify(token, keys, {
      algorithms: ['EdDSA'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    }))
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      throw unauthorized('The access token has expired; refresh it.', 'token_expired')
    // A key id that is not (or no longer) published, or none at all: the token cannot be ours, but it is
    // no fault of the key set, so it is a 401 (public routes treat the caller as anonymous), never a 503.
    if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
      throw unauthorized('The access token was signed with a key this service does not know.', 'unknown_key')
    }
    if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
      throw unauthorized('The access token is not valid.', 'invalid_token')
    }
    // The key set could not be fetched: our fault, not the caller's.
    throw serviceUnavailable('auth_unavailable', 'Tokens cannot be verified right now; try again shortly.')
  }
  const claims = AccessTokenClaims.safeParse(payload)
  if (!claims.success) throw unauthorized('The access token is not valid.', 'invalid_token')
  const exp = (payload as { exp?: unknown }).exp
  return {
    actor: {
      userId: claims.data.sub,
      roles: claims.data.orgs,
      moderator: claims.data.mod,
      ...(claims.data.name === undefined ? {} : { displayName: claims.data.name }),
      tokenState: { epoch: claims.data.ep, accessVersion: claims.data.av, orgVersions: claims.data.ov },
    },
    exp: typeof exp === 'number' ? exp : undefined,
  }
}

/** The bearer token of a request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (!header) return undefined
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match) throw unauthorized('Authorization must be `Bearer <token>`.', 'invalid_token')
  return match[1]
}

/** The signed-in actor, or a 401 problem. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized()
  return request.actor
}

/** The signed-in moderator, or a 401/403 problem. */
export function requireModerator(request: FastifyRequest): Actor {
  const actor = requireActor(request)
  if (!actor.moderator) throw forbidden('Only moderators may do this.')
  return actor
}

/** Compares a presented service token with the configured one in constant time. */
export function checkServiceToken(request: FastifyRequest, expected: string): void {
  const given = Buffer.from(bearerToken(request) ?? '')
  const wanted = Buffer.from(expected)
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new AppError('invalid_service_token', 401, 'This route needs the service token.', {
      headers: { 'www-authenticate': 'Bearer' },
    })
  }
}
