import { badRequest } from '@commons/service-kit'
import type { MessagingDeps } from '../deps.ts'
import { disableEmail } from './notifications.repository.ts'

const PURPOSE = 'unsubscribe'

/**
 * The link in every email that turns the channel off without signing in: a signed token naming the user
 * and the channel. It does not expire: an old email's link must still work, and all it can do is opt out.
 */
export function unsubscribeUrl(deps: Pick<MessagingDeps, 'signer' | 'config'>, userId: string, channel: string) {
  const token = deps.signer.sign(PURPOSE, { u: userId, c: channel })
  return `${deps.config.PUBLIC_URL.replace(/\/+$/, '')}/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`
}

/** Turns the channel of a valid unsubscribe token off; 400 `invalid_unsubscribe_token` otherwise. */
export async function unsubscribe(deps: Pick<MessagingDeps, 'signer' | 'db' | 'clock'>, token: string) {
  const claims = deps.signer.verify(PURPOSE, token)
  if (!claims || typeof claims.u !== 'string' || claims.c !== 'email') {
    throw badRequest('This unsubscribe link is not valid.', 'invalid_unsubscribe_token')
  }
  await disableEmail(deps.db, claims.u, deps.clock.now())
}
