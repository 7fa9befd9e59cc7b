import { applyAccessEvent, attachDatabase, createDb, type FeedSource, resolveActor, startConsumer } from '@commons/db'
import { createJobWorker, defineJobQueue, type JobHandlers, migrateService } from '@commons/jobs'
import { type App, buildService, type KeySource, registerPersonalDataRoute, remoteKeys } from '@commons/service-kit'
import type { Channel } from './channels/channel.ts'
import { emailChannel } from './channels/email.ts'
import type { MessagingConfig } from './config.ts'
import { registerConversationRoutes } from './conversations/conversations.routes.ts'
import { migrations } from './db/migrations/index.ts'
import type { DB } from './db/schema.ts'
import { type Clock, type MessagingDeps, systemClock } from './deps.ts'
import { JOBS_SCHEMA, type MessagingJobs } from './jobs.ts'
import { runDelivery, runReminder } from './notifications/jobs.service.ts'
import { registerNotificationRoutes } from './notifications/notifications.routes.ts'
import { NotificationStreams } from './notifications/stream.ts'
import { applyPrivacyEvent, personalData } from './privacy/personal-data.ts'
import { runRetention, scheduleRetention } from './privacy/retention.ts'
import { applyBookingsEvent } from './replica/bookings-events.ts'
import { applyCommunityEvent } from './replica/community-events.ts'
import { applyListingsEvent } from './replica/listings-events.ts'
import { createSigner } from './signing.ts'

/** The Postgres schema this service owns. */
export const SCHEMA = 'messaging'

/** Applies the messaging schema's migrations and installs (or upgrades) its job queue's tables. */
export async function migrate(config: Pick<MessagingConfig, 'DATABASE_URL'>): Promise<void> {
  await migrateService({ url: config.DATABASE_URL, schema: SCHEMA, jobsSchema: JOBS_SCHEMA, migrations })
}

/** What tests and tools may put in place of the production parts. */
export interface MessagingOverrides {
  keys?: KeySource
  clock?: Clock
  feeds?: { listings?: FeedSource; bookings?: FeedSource; community?: FeedSource }
  /** Channels instead of the ones the config enables (default: email when SMTP_URL is set). */
  channels?: Channel[]
  /**
   * Whether RUN_WORKERS starts the job runner (default true). It goes by the database's clock; tests with
   * a clock of their own leave it off and run due jobs with `app.messaging.runDueJobs(asOf)`.
   */
  startJobRunner?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Messaging's background work, reachable for tests and scripts. */
    messaging: {
      deps: MessagingDeps
      /** Resolves once the listings, bookings and community feeds are applied up to now (RUN_WORKERS only). */
      syncFeeds(): Promise<void>
      /** Runs every job due by `asOf` (default: the deps' clock now): reminders, deliveries. */
      runDueJobs(asOf?: Date): Promise<number>
    }
  }
}

/** Builds the messaging service: conversations, notifications (in-app, live stream, email). */
export async function buildApp(config: MessagingConfig, overrides: MessagingOverrides = {}): Promise<App> {
  const db = createDb<DB>({ url: config.DATABASE_URL, schema: SCHEMA, applicationName: 'messaging' })
  const app = await buildService({
    name: 'messaging',
    config,
    keys: overrides.keys ?? remoteKeys(config.JWKS_URL),
    // Roles and the moderator flag from the access replica (listings feed), not the token's claims.
    resolveActor: (actor) => resolveActor(db, actor),
    description: 'Conversations between the parties of a booking or a need; notifications in-app, live and by email',
  })
  attachDatabase(app, db, { serviceToken: config.SERVICE_TOKEN })

  const clock = overrides.clock ?? systemClock
  const channels = new Map<string, Channel>()
  const configured =
    overrides.channels ??
    (config.SMTP_URL && config.MAIL_FROM ? [emailChannel({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM })] : [])
  for (const channel of configured) channels.set(channel.name, channel)
  const deps: MessagingDeps = {
    db,
    clock,
    config,
    jobs: defineJobQueue<MessagingJobs>({ schema: JOBS_SCHEMA, clock }),
    channels,
    signer: createSigner(config.SERVICE_TOKEN),
  }
  const streams = NotificationStreams.for(deps)
  // Open streams would keep close() waiting forever: end them first, clients reconnect to another replica.
  app.addHook('preClose', () => streams.close())

  registerConversationRoutes(app, deps)
  registerNotificationRoutes(app, deps, streams)
  registerPersonalDataRoute(app, { serviceToken: config.SERVICE_TOKEN, collect: (userId) => personalData(db, userId) })

  const handlers: JobHandlers<MessagingJobs> = {
    'booking.reminder': (job) => runReminder(deps, job),
    'notification.deliver': (job) => runDelivery(deps, job),
    'privacy.retention': async (_payload, job) => {
      await runRetention(deps, job.runAt)
    },
  }
  const worker = createJobWorker({ queue: deps.jobs, db, handlers, registry: app.metrics.registry, log: app.log })

  let syncFeeds = async () => {}
  if (config.RUN_WORKERS) {
    const common = { db, registry: app.metrics.registry, log: app.log }
    const listings = startConsumer({
      ...common,
      name: 'messaging.listings',
      source: overrides.feeds?.listings ?? { url: config.LISTINGS_URL, token: config.SERVICE_TOKEN },
      handle: async (trx, event) => {
        await applyListingsEvent(trx, deps, event)
        await applyPrivacyEvent(trx, event, deps.clock.now())

        await applyAccessEvent(trx, event)
      },
    })
    const bookings = startConsumer({
      ...common,
      name: 'messaging.bookings',
      source: overrides.feeds?.bookings ?? { url: config.BOOKINGS_URL, token: config.SERVICE_TOKEN },
      handle: (trx, event) => applyBookingsEvent(trx, deps, event),
    })
    const community = startConsumer({
      ...common,
      name: 'messaging.community',
      source: overrides.feeds?.community ?? { url: config.COMMUNITY_URL, token: config.SERVICE_TOKEN },
      handle: (trx, event) => applyCommunityEvent(trx, deps, event),
    })
    if (overrides.startJobRunner !== false) {
      // A sweep now, then each schedules the next; a restart moves the pending one rather than adding one.
      // Tests that run due jobs by hand schedule it themselves (`scheduleRetention`).
      await scheduleRetention(deps, clock.now())
      await worker.start({ url: config.DATABASE_URL, pollIntervalMs: config.JOB_POLL_MS })
      app.addHook('onClose', () => worker.stop())
    }
    // Listings first: a booking's notification names organizations and listings the other feed brought.
    syncFeeds = async () => {
      await listings.drain()
      await bookings.drain()
      await community.drain()
    }
    // Registered after the db's onClose hook, so (hooks run in reverse) they stop before the pool closes.
    app.addHook('onClose', async () => {
      await Promise.all([listings.stop(), bookings.stop(), community.stop()])
    })
  }
  app.addHook('onClose', async () => {
    for (const channel of configured) (channel as Channel & { close?: () => void }).close?.()
  })
  app.decorate('messaging', { deps, syncFeeds: () => syncFeeds(), runDueJobs: (asOf?: Date) => worker.runDue(asOf) })
  return app
}
