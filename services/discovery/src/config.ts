import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The discovery service's environment. */
export const DiscoveryConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.discovery),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  /** The community service, whose feed brings activities and organizations' scorecards. */
  COMMUNITY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.community}`),
  MEILI_URL: HttpUrl,
  MEILI_MASTER_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** Prefix of every index name, so several environments (or test files) can share one Meilisearch. */
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]*$/)
    .default(''),
  /** How long a search waits for Meilisearch before answering 503 `search_unavailable`. */
  MEILI_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** Pause between polls of a caught-up feed; bounds the delay from a publish to it being searchable. */
  FEED_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(200),
  /** Events per consumer batch (one Postgres transaction and one Meilisearch task per batch). */
  FEED_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  /** Days a recorded view is kept (the privacy notice announces 90); older ones are removed by a job. */
  VIEW_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Hours between two retention sweeps. */
  RETENTION_SWEEP_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** How often the job runner looks for due jobs when not woken, in ms. */
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
})
export type DiscoveryConfig = Readonly<z.infer<typeof DiscoveryConfig>>
