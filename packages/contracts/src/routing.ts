/** The services behind the public entry point. */
export const SERVICES = ['listings', 'discovery', 'bookings', 'messaging', 'community'] as const
export type ServiceName = (typeof SERVICES)[number]

/** Default local ports (DESIGN.md §4); tests choose free ports at run time. */
export const DEFAULT_PORTS: Readonly<Record<ServiceName | 'web', number>> = Object.freeze({
  web: 4100,
  listings: 4101,
  discovery: 4102,
  bookings: 4103,
  messaging: 4104,
  community: 4105,
})

/**
 * The routing table: first path segment after /v1 -> owning service. The web service proxies by it and
 * the deployment files (ingress) are generated from it, so a prefix is added here and nowhere else.
 */
export const ROUTES: Readonly<Record<string, ServiceName>> = Object.freeze({
  auth: 'listings',
  me: 'listings',
  organizations: 'listings',
  listings: 'listings',
  needs: 'listings',
  moderation: 'listings',
  photos: 'listings',
  // personal information: the notice and signed export downloads
  privacy: 'listings',
  search: 'discovery',
  suggest: 'discovery',
  matches: 'discovery',
  recommendations: 'discovery',
  views: 'discovery',
  admin: 'discovery',
  availability: 'bookings',
  bookings: 'bookings',
  ratings: 'bookings',
  reputation: 'bookings',
  ledger: 'bookings',
  'time-credits': 'bookings',
  calendars: 'bookings',
  webhooks: 'bookings',
  // messaging
  conversations: 'messaging',
  notifications: 'messaging',

  // community
  activities: 'community',
  evaluations: 'community',
  // community: needs surveys and overviews
  surveys: 'community',
  overview: 'community',

  // invitations to organizations: accept and decline (issue 13)
  invitations: 'listings',
})

/** The public prefixes each service owns, e.g. `listings -> ['/v1/auth', '/v1/me', ...]`. */
export function prefixesOf(service: ServiceName): string[] {
  return Object.entries(ROUTES)
    .filter(([, owner]) => owner === service)
    .map(([segment]) => `/v1/${segment}`)
}

/** The owning service of a public path, or undefined when no service owns it. */
export function ownerOf(path: string): ServiceName | undefined {
  const match = /^\/v1\/([^/?#]+)/.exec(path)
  return match ? ROUTES[match[1] as string] : undefined
}
