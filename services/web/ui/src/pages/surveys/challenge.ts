import { readStorage, writeStorage } from '../../lib/i18n.ts'

const DEVICE_KEY = 'commons.deviceId'

/** A random id this browser keeps, so an anonymous person answers a survey once from it. */
export function deviceId(): string {
  const stored = readStorage(DEVICE_KEY)
  if (stored && stored.length >= 16) return stored
  const id = crypto.randomUUID()
  writeStorage(DEVICE_KEY, id)
  return id
}

function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

/**
 * Solves the survey's proof-of-work challenge (SHA-256 of `token:solution` starting with `bits` zero bits),
 * the same rule the server checks. It runs in batches while the person fills in the form, yielding to the
 * page between batches so typing stays smooth.
 */
export async function solveChallenge(token: string, bits: number, signal?: AbortSignal): Promise<string> {
  const encoder = new TextEncoder()
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw new Error('aborted')
    const solution = n.toString(36)
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(`${token}:${solution}`)))
    if (leadingZeroBits(digest) >= bits) return solution
    if (n % 2000 === 1999) await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
