import { randomBytes } from 'node:crypto'
import { type AccessTokenClaims, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import type { KeySource } from '@commons/service-kit'
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, errors as joseErrors, SignJWT } from 'jose'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/** How long a retired key stays in the JWKS: longer than any access token it signed can live. */
const RETIRED_KEY_GRACE_MS = 24 * 60 * 60 * 1000
const CACHE_MS = 60_000
/** The shortest time between two reloads caused by an unknown `kid`. */
const RELOAD_COOLDOWN_MS = 10_000

interface SigningKey {
  kid: string
  privateKey: CryptoKey
}

/**
 * Signs access tokens with the newest Ed25519 key of `signing_keys` and publishes the public half of every
 * key still in use as a JWKS. Keys live in the database, so restarts and replicas share them.
 */
export class TokenKeys {
  private active?: { key: SigningKey; at: number }
  private published?: { jwks: { keys: JWK[] }; byKid: Map<string, CryptoKey>; at: number }
  private lastReloadAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs claims as an access token valid for `ttlSeconds`. */
  async sign(claims: AccessTokenClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const key = await this.activeKey()
    const issuedAt = Math.floor(this.now() / 1000)
    const expiresAt = new Date((issuedAt + ttlSeconds) * 1000)
    const token = await new SignJWT({
      orgs: claims.orgs,
      mod: claims.mod,
      ep: claims.ep,
      av: claims.av,
      ov: claims.ov,
      ...(claims.name === undefined ? {} : { name: claims.name }),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(key.privateKey)
    return { token, expiresAt }
  }

  /** The public keys as a JWKS document. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return (await this.publishedKeys()).jwks
  }

  /**
   * Verification keys for this service's own requests, looked up by `kid`. An unknown `kid` reloads the
   * keys (another replica may have rotated), but at most once per RELOAD_COOLDOWN_MS: otherwise every
   * request with a made-up `kid` would be a query, a cheap way to load the database.
   */
  keySource(): KeySource {
    return async (header) => {
      const kid = header.kid
      if (!kid) throw new joseErrors.JWKSNoMatchingKey()
      let key = (await this.publishedKeys()).byKid.get(kid)
      if (!key && this.now() - this.lastReloadAt >= RELOAD_COOLDOWN_MS) {
        this.lastReloadAt = this.now()
        this.published = undefined
        key = (await this.publishedKeys()).byKid.get(kid)
      }
      if (!key) throw new joseErrors.JWKSNoMatchingKey()
      return key
    }
  }

  private async activeKey(): Promise<SigningKey> {
    if (this.active && this.now() - this.active.at < CACHE_MS) return this.active.key
    const row = await ensureSigningKey(this.db)
    const key = { kid: row.kid, privateKey: (await importJWK(row.privateJwk as JWK, 'EdDSA')) as CryptoKey }
    this.active = { key, at: this.now() }
    return key
  }

  private async publishedKeys() {
    if (this.published && this.now() - this.published.at < CACHE_MS) return this.published
    await ensureSigningKey(this.db)
    const rows = await this.db
      .selectFrom('signingKeys')
      .select(['kid', 'publicJwk'])
      .where((eb) =>
        eb.or([eb('retiredAt', 'is', null), eb('retiredAt', '>', new Date(this.now() - RETIRED_KEY_GRACE_MS))]),
      )
      .orderBy('createdAt', 'desc')
      .execute()
    const keys = rows.map((r) => ({ ...(r.publicJwk as JWK), kid: r.kid, alg: 'EdDSA', use: 'sig' }))
    const byKid = new Map<string, CryptoKey>()
    for (const jwk of keys) byKid.set(jwk.kid, (await importJWK(jwk, 'EdDSA')) as CryptoKey)
    this.published = { jwks: { keys }, byKid, at: this.now() }
    return this.published
  }
}

/** Returns the active signing key, making the first one if there is none (once, across replicas). */
export async function ensureSigningKey(db: Kysely<DB>) {
  const existing = await activeKeyRow(db)
  if (existing) return existing
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('listings.signing_keys'))`.execute(trx)
    const again = await activeKeyRow(trx)
    if (again) return again
    return insertNewKey(trx)
  })
}

/** Makes a new active key and retires the previous ones (they stay in the JWKS for a grace period). */
export async function rotateSigningKey(db: Kysely<DB>): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('listings.signing_keys'))`.execute(trx)
    await trx.updateTable('signingKeys').set({ retiredAt: new Date() }).where('retiredAt', 'is', null).execute()
    return (await insertNewKey(trx)).kid
  })
}

function activeKeyRow(db: Kysely<DB>) {
  return db
    .selectFrom('signingKeys')
    .selectAll()
    .where('retiredAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst()
}

async function insertNewKey(db: Kysely<DB>) {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })
  const row = {
    kid: randomBytes(8).toString('base64url'),
    privateJwk: (await exportJWK(privateKey)) as Record<string, unknown>,
    publicJwk: (await exportJWK(publicKey)) as Record<string, unknown>,
    retiredAt: null,
  }
  return db.insertInto('signingKeys').values(row).returningAll().executeTakeFirstOrThrow()
}
