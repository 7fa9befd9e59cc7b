import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A proof-of-work challenge for anonymous answers: costless for one person on a phone (a fraction of a second
 * of hashing in the form), costly for a script sending thousands. Stateless: the token carries the survey,
 * when it was issued and a MAC; that a solved token is used once is a unique index on its hash.
 */
export interface ChallengeKeys {
  secret: string
  bits: number
  ttlMs: number
}

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url')

export function issueChallenge(keys: ChallengeKeys, surveyId: string, now: Date): { token: string; bits: number } {
  const body = `${surveyId}.${now.getTime()}.${randomBytes(9).toString('base64url')}`
  return { token: `${body}.${mac(keys.secret, body)}`, bits: keys.bits }
}

/** Number of leading zero bits of a digest. */
function leadingZeroBits(digest: Buffer): number {
  let bits = 0
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

/** Whether `solution` solves `token` for this survey, and the token is ours and fresh. */
export function verifyChallenge(
  keys: ChallengeKeys,
  surveyId: string,
  token: string,
  solution: string,
  now: Date,
): boolean {
  const cut = token.lastIndexOf('.')
  const body = token.slice(0, cut)
  const [forSurvey, issuedAt] = body.split('.')
  const expected = Buffer.from(mac(keys.secret, body))
  const given = Buffer.from(token.slice(cut + 1))
  if (cut < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return false
  if (forSurvey !== surveyId) return false
  const age = now.getTime() - Number(issuedAt)
  if (!(age >= -60_000 && age <= keys.ttlMs)) return false
  return leadingZeroBits(createHash('sha256').update(`${token}:${solution}`).digest()) >= keys.bits
}

/** Finds a solution (what the web form does in the browser; tests and the demo loader use this one). */
export function solveChallenge(token: string, bits: number): string {
  for (let n = 0; ; n++) {
    const solution = n.toString(36)
    if (leadingZeroBits(createHash('sha256').update(`${token}:${solution}`).digest()) >= bits) return solution
  }
}

/** A one-way hash of a solved token, stored so it answers once. */
export const challengeHash = (token: string) => createHash('sha256').update(token).digest('base64url')
