import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The discovery service's environment. */
export const DiscoveryConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.discovery),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  MEILI_URL: HttpUrl,
  MEILI_MASTER_KEY: z.string().min(16, 'must be at least 16 characters'),
  /** Prefix of every index name, so several environments (or test files) can share one Meilisearch. */
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]*$/)
    .default(''),
})
export type DiscoveryConfig = Readonly<z.infer<typeof DiscoveryConfig>>
