import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

/**
 * Signs short claims (stream tickets, unsubscribe links) with keys derived from the service token, one per
 * purpose, so a ticket is never accepted as an unsubscribe token or the other way round, and no second
 * secret has to be configured. Format: base64url(JSON) "." base64url(HMAC-SHA256).
 */
export interface Signer {
  sign(purpose: string, claims: Record<string, unknown>): string
  /** The claims of a token signed for `purpose`, or null when it is forged or malformed. */
  verify(purpose: string, token: string): Record<string, unknown> | null
}

export function createSigner(secret: string): Signer {
  const keys = new Map<string, Buffer>()
  const keyOf = (purpose: string) => {
    let key = keys.get(purpose)
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secret, 'commons-messaging', purpose, 32))
      keys.set(purpose, key)
    }
    return key
  }
  const mac = (purpose: string, body: string) => createHmac('sha256', keyOf(purpose)).update(body).digest()
  return {
    sign(purpose, claims) {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url')
      return `${body}.${mac(purpose, body).toString('base64url')}`
    },
    verify(purpose, token) {
      const [body, signature, extra] = token.split('.')
      if (!body || !signature || extra !== undefined) return null
      const given = Buffer.from(signature, 'base64url')
      const wanted = mac(purpose, body)
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null
      try {
        const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
        return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : null
      } catch {
        return null
      }
    },
  }
}
