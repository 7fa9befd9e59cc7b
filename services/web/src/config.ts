import { isIP } from 'node:net'
import { DEFAULT_PORTS } from '@commons/contracts'
import { BaseConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'
import { DEFAULT_UI_DIR } from './ui-build.ts'

/** The web entry point's environment. Upstream URLs default to the local ports of `pnpm start`. */
export const WebConfig = BaseConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.web),
  /**
   * The entry point is the first hop: nobody in front of it is trusted to say who the client is unless a
   * deployment names its proxies (addresses or CIDRs). `true` would believe a client-set X-Forwarded-For.
   */
  TRUST_PROXY: z
    .string()
    .min(1)
    .refine((v) => v !== 'true', 'name the proxies (addresses or CIDRs); `true` trusts any client')
    .default('false'),
  /** Peers that may read /ready and /metrics directly (not through a proxy): `loopback` and/or CIDRs. */
  OPS_NETWORKS: z
    .string()
    .min(1)
    .refine(
      (v) =>
        v
          .split(',')
          .map((e) => e.trim())
          .every((e) => e === 'loopback' || isIP(e.split('/')[0] ?? '') !== 0),
      'a comma-separated list of `loopback`, addresses and CIDRs',
    )
    .default('loopback'),
  /** A bearer token that also opens /ready and /metrics (for scrapers outside OPS_NETWORKS). */
  OPS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  DISCOVERY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.discovery}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  MESSAGING_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.messaging}`),
  COMMUNITY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.community}`),
  /** Seconds an upstream may take to answer before the client gets 504 (fractions allowed; 0 would mean never). */
  UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(30),
  /**
   * Where the pay page loads Stripe.js from; only Stripe's own copy may take card numbers in production
   * (tests point it at the Stripe-compatible test server's double). Its origin is allowed by the CSP.
   */
  STRIPE_JS_URL: HttpUrl.default('https://js.stripe.com/v3/'),
  /**
   * The listing form's map: a Leaflet tile URL template ({s} subdomain, {x} {y} {z}). AutoNavi (Gaode) by
   * default, whose tiles are drawn in GCJ-02; an OpenStreetMap-style server draws WGS-84 (MAP_TILE_DATUM).
   * Its hosts are allowed by the CSP. Without reachable tiles the pin still works on a blank map.
   */
  MAP_TILE_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^/]+/.test(v) && v.includes('{x}') && v.includes('{y}') && v.includes('{z}'), {
      message: 'an http(s) tile template with {x}, {y} and {z}',
    })
    .default('https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'),
  /** The letters or digits {s} takes in MAP_TILE_URL, one per subdomain. */
  MAP_TILE_SUBDOMAINS: z
    .string()
    .regex(/^[a-z0-9]*$/i)
    .default('1234'),
  /** The datum the tiles are drawn in: `gcj02` (AutoNavi, Tencent) or `wgs84` (OpenStreetMap). */
  MAP_TILE_DATUM: z.enum(['gcj02', 'wgs84']).default('gcj02'),
  /** The credit line the tile provider asks for, shown in the map's corner. */
  MAP_TILE_ATTRIBUTION: z.string().default('© 高德地图 AutoNavi'),
  /** The built web UI (index.html and assets); defaults to this package's ui/dist. */
  UI_DIR: z.string().min(1).default(DEFAULT_UI_DIR),
})
export type WebConfig = Readonly<ReturnType<typeof WebConfig.parse>>
