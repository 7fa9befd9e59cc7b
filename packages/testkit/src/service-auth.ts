import { randomUUID } from 'node:crypto'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '@commons/contracts'
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose'

/** A clock a test moves by hand; services read it through their injected `Clock`. */
export class TestClock {
  constructor(public current: Date) {}
  now = () => this.current
  set(at: string | Date) {
    this.current = new Date(at)
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms)
  }
}

/** Who a test token speaks for: organization roles, the moderator flag, optionally a display name. */
export interface TestTokenClaims {
  userId?: string
  roles?: Record<string, string>
  moderator?: boolean
  displayName?: string
}

/** A local Ed25519 key pair standing in for listings' token signer. */
export interface TestTokens {
  /** The key set a service under test verifies tokens with (its `keys` override). */
  jwks: JWTVerifyGetKey
  /** An access token as listings would issue it; a random subject when no user id is given. */
  sign(claims: TestTokenClaims): Promise<string>
}

/**
 * Makes the token signer services' integration tests use instead of a running listings service. Token
 * versions are one ahead of an empty access replica, as listings signs a token just after a change: the
 * token's roles and moderator flag count until the test sends the replica a newer snapshot (a removal, a
 * revoke).
 */
export async function testTokens(): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' }
  const fresh = (roles: Record<string, unknown> = {}) => ({
    av: 1,
    ov: Object.fromEntries(Object.keys(roles).map((org) => [org, 1])),
  })
  return {
    jwks: createLocalJWKSet({ keys: [jwk] }),
    sign: (claims) =>
      new SignJWT({
        ...fresh(claims.roles),
        orgs: claims.roles ?? {},
        mod: claims.moderator ?? false,
        ...(claims.displayName ? { name: claims.displayName } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(claims.userId ?? randomUUID())
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
  }
}

/** The service token test harnesses give services and send to their internal routes. */
export const TEST_SERVICE_TOKEN = 's'.repeat(40)

/**
 * The environment a consuming service's integration tests start it with: quiet, its workers on, its job
 * poll rare (tests run due jobs themselves), and no rate limit in the way of a test's many requests.
 */
export function serviceTestEnv(databaseUrl: string): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    SERVICE_TOKEN: TEST_SERVICE_TOKEN,
    RUN_WORKERS: 'true',
    JOB_POLL_MS: '60000',
    RATE_LIMIT_MAX: '100000',
  }
}
