import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The messaging service's environment. */
export const MessagingConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.messaging),
  JWKS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}/.well-known/jwks.json`),
  LISTINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.listings}`),
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  /** The community service, whose feed brings participants' notices and organizations' flag changes. */
  COMMUNITY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.community}`),
  /** The public origin of the web UI: links in emails (pages, unsubscribe) start with it. */
  PUBLIC_URL: HttpUrl.default(`http://localhost:${DEFAULT_PORTS.web}`),
  /** Enables the email channel, e.g. `smtp://user:pass@smtp.example.com:587`; unset: in-app only. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** The From of every email, e.g. `共享资源超市 <noreply@example.com>`; required with SMTP_URL. */
  MAIL_FROM: z.string().min(3).optional(),
  /** How often the job runner looks for due jobs (reminders, email deliveries) when not woken, in ms. */
  JOB_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** Seconds a stream ticket (`POST /v1/notifications/stream-ticket`) stays valid. */
  STREAM_TICKET_TTL_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  /** Seconds between SSE keep-alive comments, so proxies do not close an idle stream. */
  STREAM_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(25),
  /** Days a notification is kept (the privacy notice announces 180); older ones are removed by a job. */
  NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Hours between two retention sweeps. */
  RETENTION_SWEEP_HOURS: z.coerce.number().int().min(1).max(720).default(24),
}).refine((c) => !c.SMTP_URL || c.MAIL_FROM, { message: 'required when SMTP_URL is set', path: ['MAIL_FROM'] })
export type MessagingConfig = Readonly<z.infer<typeof MessagingConfig>>
