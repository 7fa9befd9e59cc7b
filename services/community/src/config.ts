import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The community service's environment. */
export const CommunityConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.community),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  /** How often the job runner looks for due jobs (evaluation windows) when no notification woke it, in ms. */
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Leading zero bits the proof-of-work of an anonymous survey answer needs (16: well under a second on a phone). */
  SURVEY_CHALLENGE_BITS: z.coerce.number().int().min(0).max(24).default(16),
  /** Anonymous answers one client address may send to one survey per hour. */
  SURVEY_ANONYMOUS_PER_HOUR: z.coerce.number().int().min(1).default(30),
})
export type CommunityConfig = Readonly<z.infer<typeof CommunityConfig>>
