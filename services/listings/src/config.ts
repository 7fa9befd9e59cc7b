import { DEFAULT_PORTS } from '@commons/contracts'
import { DataServiceConfig, HttpUrl, Port } from '@commons/service-kit'
import { z } from 'zod'

/** The listings service's environment. */
export const ListingsConfig = DataServiceConfig.extend({
  PORT: Port.default(DEFAULT_PORTS.listings),
  /** Lifetime of access tokens; other services trust a token's roles for this long. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How long an invitation to join an organization can be accepted. */
  INVITATION_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** Register, sign-in and sign-in code attempts per minute per client IP. */
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().positive().default(20),
  /** Token refreshes per minute per client IP: every signed-in tab behind one NAT refreshes through it. */
  REFRESH_RATE_LIMIT_MAX: z.coerce.number().int().positive().default(300),
  /** Failed logins of one email before it is locked; each further failure doubles the lock. */
  LOGIN_FREE_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** The first lock after the free attempts are spent. */
  LOGIN_LOCK_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** The longest lock (an attacker who knows an email can keep its owner out this long at most). */
  LOGIN_LOCK_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How long before another sign-in code may be texted to the same number. */
  PHONE_CODE_RESEND_SECONDS: z.coerce.number().int().min(1).max(600).default(60),

  // Email verification (issue 13)
  /** Sends verification mails, e.g. `smtp://user:pass@smtp.example.com:587` (messaging's variable); unset: the log. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** The From of account mails, e.g. `共享资源超市 <noreply@example.com>`; required with SMTP_URL. */
  MAIL_FROM: z.string().min(3).optional(),
  /** The public origin of the web UI: verification links start with it. */
  PUBLIC_URL: HttpUrl.default(`http://localhost:${DEFAULT_PORTS.web}`),
  /** Hours a verification link works. */
  EMAIL_VERIFICATION_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  /** Seconds before another account mail may go to the same account (a resend within them is dropped). */
  EMAIL_RESEND_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),

  /** Photos are stored under DATA_DIR/photos unless an S3-compatible bucket is configured. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** An S3-compatible bucket for photos (Aliyun OSS, Tencent COS, MinIO, AWS S3); unset: local disk. */
  PHOTOS_S3_BUCKET: z.string().min(1).optional(),
  /** The store's endpoint, e.g. https://oss-cn-shanghai.aliyuncs.com; unset: AWS S3. */
  PHOTOS_S3_ENDPOINT: z.url().optional(),
  PHOTOS_S3_REGION: z.string().min(1).default('us-east-1'),
  PHOTOS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  PHOTOS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (endpoint/bucket/key), which MinIO and most self-hosted stores need. */
  PHOTOS_S3_FORCE_PATH_STYLE: z.stringbool().default(false),
  /** Prepended to every key, so deployments can share a bucket. */
  PHOTOS_S3_PREFIX: z.string().default('photos/'),

  /** The community service, whose feed brings needs raised from survey results. */
  COMMUNITY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.community}`),

  // Personal information (issue 20)
  /** Days between a request to close an account and its closing; the person may cancel until then. */
  ACCOUNT_DELETION_COOLING_OFF_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** How long the signed download link of a data export works. */
  EXPORT_LINK_TTL_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  /** The services asked for their part of a data export (internal call with the service token). */
  BOOKINGS_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.bookings}`),
  DISCOVERY_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.discovery}`),
  MESSAGING_URL: HttpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS.messaging}`),
})
export type ListingsConfig = Readonly<z.infer<typeof ListingsConfig>>
