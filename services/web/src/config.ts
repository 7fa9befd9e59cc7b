import { DEFAULT_PORTS } from '@commons/contracts'
import { BaseConfig, HttpUrl, Port } from '@commons/service-kit'

/** The web entry point's environment. Upstream URLs default to the local ports of `pnpm start`. */
export const WebConfig = BaseConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.web),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  DISCOVERY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.discovery}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  /** Seconds an upstream may take to answer before the client gets 504. */
  UPSTREAM_TIMEOUT_SECONDS: Port.default(30),
})
export type WebConfig = Readonly<ReturnType<typeof WebConfig.parse>>
