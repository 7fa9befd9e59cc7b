import type { Clock } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import type { Channel } from './channels/channel.ts'
import type { MessagingConfig } from './config.ts'
import type { DB } from './db/schema.ts'
import type { MessagingJobQueue } from './jobs.ts'
import type { Signer } from './signing.ts'

export { type Clock, systemClock } from '@commons/service-kit'

/** What the use cases need, built once in buildApp and passed down (no module-level singletons). */
export interface MessagingDeps {
  db: Kysely<DB>
  clock: Clock
  config: MessagingConfig
  /** Reminders and deliveries, enqueued in the transaction that needs them. */
  jobs: MessagingJobQueue
  /** Channels beyond in-app (email when SMTP is configured), by name. */
  channels: ReadonlyMap<string, Channel>
  /** Signs and checks stream tickets and unsubscribe tokens. */
  signer: Signer
}
