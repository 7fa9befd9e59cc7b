import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import type { z } from 'zod'

/** The bookings service's environment. */
export const BookingsConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.bookings),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
})
export type BookingsConfig = Readonly<z.infer<typeof BookingsConfig>>
