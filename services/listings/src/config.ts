import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The listings service's environment. */
export const ListingsConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.listings),
  /** Lifetime of access tokens; other services trust a token's roles for this long. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Register, login and refresh attempts per minute per client IP. */
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().positive().default(20),
})
export type ListingsConfig = Readonly<z.infer<typeof ListingsConfig>>
