import { attachDatabase, createDb, type FeedSource, startConsumer } from '@commons/db'
import { createJobWorker, defineJobQueue, migrateService } from '@commons/jobs'
import { type App, buildService, registerPersonalDataRoute } from '@commons/service-kit'
import { currentActor } from './auth/account-access.ts'
import { registerAuthRoutes } from './auth/auth.routes.ts'
import type { AuthDeps } from './auth/auth.service.ts'
import { TokenKeys } from './auth/keys.ts'
import { devLogMail, type MailChannel, smtpMail } from './auth/mail.ts'
import { devLogSms, type SmsChannel } from './auth/sms.ts'
import type { ListingsConfig } from './config.ts'
import { registerContactRoutes } from './contacts/contacts.routes.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type Clock, type ListingsDeps, systemClock } from './deps.ts'
import { registerHierarchyRoutes } from './hierarchy/hierarchy.routes.ts'
import { registerListingRoutes } from './listings/listings.routes.ts'
import { registerModerationRoutes } from './moderation/moderation.routes.ts'
import { registerNeedRoutes } from './needs/needs.routes.ts'
import { applyCommunityEvent } from './needs/survey-needs.ts'
import { registerInvitationRoutes } from './organizations/invitations.routes.ts'
import { registerOrganizationRoutes } from './organizations/organizations.routes.ts'
import { createPhotoStorage } from './photos/photo-storage.ts'
import { registerPhotoRoutes } from './photos/photos.routes.ts'
import { closeAccount } from './privacy/deletion.service.ts'
import { assembleExport, listingsPart } from './privacy/export.service.ts'
import { registerPrivacyRoutes } from './privacy/privacy.routes.ts'
import { JOBS_SCHEMA, type ListingsJobs, type PrivacyDeps } from './privacy/privacy-deps.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'listings'

/** Applies the listings schema's migrations. */
export async function migrate(config: Pick<ListingsConfig, 'DATABASE_URL'>): Promise<void> {
  await migrateService({ url: config.DATABASE_URL, schema: SCHEMA, jobsSchema: JOBS_SCHEMA, migrations })
}

/** What tests and tools may put in place of the production parts. */
export interface ListingsOverrides {
  /** Where the service log goes (tests read the development SMS channel's messages from it). */
  logStream?: { write(line: string): void }
  /** A text message provider; without one, codes go to the log outside production and nowhere in it. */
  sms?: SmsChannel
  /** Where account mails go (default: SMTP when SMTP_URL is set, else the log outside production). */
  mail?: MailChannel
  /** Where the time comes from (tests move it). */
  clock?: Clock

  /** The community feed (default: COMMUNITY_URL with the service token). */
  communityFeed?: FeedSource

  /** The services asked for their part of an export (default: bookings, discovery, messaging, community). */
  exportServices?: Record<string, string>
  /** Whether RUN_WORKERS starts the job runner (default true); tests with their own clock use runDueJobs. */
  startJobRunner?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Listings' background work, reachable for tests. */
    listings: {
      /** Resolves once needs raised from surveys on the community feed are on the board (RUN_WORKERS only). */
      syncCommunity(): Promise<void>
      /** Runs the jobs due by the clock now (account closings, exports); resolves with how many ran. */
      runDueJobs(): Promise<number>
    }
  }
}

/** Builds the listings service: accounts, organizations, listings, needs and moderation. */
export async function buildApp(config: ListingsConfig, overrides: ListingsOverrides = {}): Promise<App> {
  if (config.SMTP_URL && !config.MAIL_FROM) throw new Error('MAIL_FROM: required when SMTP_URL is set')
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'listings' })
  const keys = new TokenKeys(db)
  const app = await buildService({
    name: 'listings',
    config,
    description: 'Accounts, organizations, listings, needs, moderation',
    keys: keys.keySource(),
    resolveActor: (actor) => currentActor(db, actor),
    ...(overrides.logStream ? { logStream: overrides.logStream } : {}),
  })
  attachDatabase(app, db, { serviceToken: config.SERVICE_TOKEN })

  const deps: ListingsDeps = { db, clock: overrides.clock ?? systemClock, config }
  const auth: AuthDeps = {
    db,
    clock: deps.clock,
    keys,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    // Codes are never written to a log in production: there, phone sign-in needs a real provider.
    sms: overrides.sms ?? (config.NODE_ENV === 'production' ? undefined : devLogSms(app.log)),
    phoneCodeResendSeconds: config.PHONE_CODE_RESEND_SECONDS,
    mail: overrides.mail ?? accountMail(config, app.log),
    publicUrl: config.PUBLIC_URL,
    emailVerification: {
      ttlHours: config.EMAIL_VERIFICATION_TTL_HOURS,
      resendAfterSeconds: config.EMAIL_RESEND_SECONDS,
    },
    log: app.log,
    loginThrottle: {
      freeAttempts: config.LOGIN_FREE_ATTEMPTS,
      baseLockSeconds: config.LOGIN_LOCK_BASE_SECONDS,
      maxLockSeconds: config.LOGIN_LOCK_MAX_SECONDS,
      windowSeconds: 24 * 3600,
    },
  }
  app.addHook('onClose', async () => auth.mail?.close?.())
  registerAuthRoutes(app, auth, {
    authRateLimitMax: config.AUTH_RATE_LIMIT_MAX,
    refreshRateLimitMax: config.REFRESH_RATE_LIMIT_MAX,
  })
  registerOrganizationRoutes(app, auth)
  registerInvitationRoutes(app, auth, { invitationTtlDays: config.INVITATION_TTL_DAYS })
  registerListingRoutes(app, deps)
  registerNeedRoutes(app, deps)
  registerModerationRoutes(app, deps)
  registerContactRoutes(app, deps)

  const storage = createPhotoStorage(config)
  app.addHook('onClose', () => storage.close?.())
  await registerPhotoRoutes(app, { db, storage })

  registerHierarchyRoutes(app, deps)

  const clock = deps.clock
  const privacy: PrivacyDeps = {
    db,
    clock,
    jobs: defineJobQueue<ListingsJobs>({ schema: JOBS_SCHEMA, clock }),
    coolingOffDays: config.ACCOUNT_DELETION_COOLING_OFF_DAYS,
    exportLinkTtlHours: config.EXPORT_LINK_TTL_HOURS,
    serviceToken: config.SERVICE_TOKEN,
    services: overrides.exportServices ?? {
      bookings: config.BOOKINGS_URL,
      discovery: config.DISCOVERY_URL,
      messaging: config.MESSAGING_URL,
      community: config.COMMUNITY_URL,
    },
  }
  registerPrivacyRoutes(app, privacy)
  registerPersonalDataRoute(app, { serviceToken: config.SERVICE_TOKEN, collect: (userId) => listingsPart(db, userId) })
  const worker = createJobWorker({
    queue: privacy.jobs,
    db,
    handlers: {
      'account.close': ({ userId }) => closeAccount(privacy, userId),
      'privacy.export': ({ exportId }, job) =>
        assembleExport(privacy, exportId, { last: job.attempt >= job.maxAttempts }),
    },
    registry: app.metrics.registry,
    log: app.log,
  })

  let syncCommunity = async () => {}
  if (config.RUN_WORKERS) {
    const community = startConsumer({
      db,
      name: 'listings.community',
      source: overrides.communityFeed ?? { url: config.COMMUNITY_URL, token: config.SERVICE_TOKEN },
      handle: (trx, event) => applyCommunityEvent(trx, event),
      registry: app.metrics.registry,
      log: app.log,
    })
    syncCommunity = () => community.drain()
    // Registered after the db's onClose hook, so (hooks run in reverse) it stops before the pool closes.
    app.addHook('onClose', () => community.stop())
    if (overrides.startJobRunner !== false) {
      await worker.start({ url: config.DATABASE_URL })
      app.addHook('onClose', () => worker.stop())
    }
  }
  app.decorate('listings', { syncCommunity: () => syncCommunity(), runDueJobs: () => worker.runDue() })
  return app
}

/**
 * SMTP when configured; otherwise the development log, but never in production, where a link written to
 * a log would let whoever reads the log take over the account: there, no mail goes out and sign-up waits.
 */
function accountMail(config: ListingsConfig, log: App['log']): MailChannel | undefined {
  if (config.SMTP_URL && config.MAIL_FROM) return smtpMail({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM })
  return config.NODE_ENV === 'production' ? undefined : devLogMail(log)
}
