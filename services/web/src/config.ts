import { DEFAULT_PORTS } from '@commons/contracts'
import { BaseConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'
import { DEFAULT_UI_DIR } from './ui-build.ts'

/** The web entry point's environment. Upstream URLs default to the local ports of `pnpm start`. */
export const WebConfig = BaseConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.web),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  DISCOVERY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.discovery}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  /** Seconds an upstream may take to answer before the client gets 504 (fractions allowed; 0 would mean never). */
  UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(30),
  /**
   * Where the pay page loads Stripe.js from; only Stripe's own copy may take card numbers in production
   * (tests point it at the Stripe-compatible test server's double). Its origin is allowed by the CSP.
   */
  STRIPE_JS_URL: HttpUrl.default('https://js.stripe.com/v3/'),
  /** The built web UI (index.html and assets); defaults to this package's ui/dist. */
  UI_DIR: z.string().min(1).default(DEFAULT_UI_DIR),
})
export type WebConfig = Readonly<ReturnType<typeof WebConfig.parse>>
