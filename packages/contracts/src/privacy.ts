import { z } from 'zod'
import { Id, Instant } from './common.ts'

/** The optional purposes a person may consent to and withdraw at any time (PIPL art. 15). */
export const ConsentPurpose = z
  .enum(['personalisedRecommendations', 'emailNotifications'])
  .meta({ id: 'ConsentPurpose' })
export type ConsentPurpose = z.infer<typeof ConsentPurpose>

/** The optional consents, each granted (true) or not. */
export const Consents = z
  .object({
    personalisedRecommendations: z.boolean().describe('Views recorded and recommendations tailored to them'),
    emailNotifications: z.boolean().describe('Notifications also sent by email (in-app ones always arrive)'),
  })
  .meta({ id: 'Consents' })
export type Consents = z.infer<typeof Consents>

/** A published version of the privacy notice and terms, in both languages. */
export const PrivacyNotice = z
  .object({
    version: z.string().describe('Changes whenever the text changes; people accept a version'),
    publishedAt: Instant,
    zhCN: z.object({ title: z.string(), sections: z.array(z.object({ heading: z.string(), body: z.string() })) }),
    en: z.object({ title: z.string(), sections: z.array(z.object({ heading: z.string(), body: z.string() })) }),
  })
  .meta({ id: 'PrivacyNotice' })
export type PrivacyNotice = z.infer<typeof PrivacyNotice>

/** What a person agrees to when signing up: the notice version they read and the optional consents. */
export const SignUpPrivacy = z
  .strictObject({
    noticeVersion: z.string().min(1).max(40),
    personalisedRecommendations: z.boolean().default(false),
    emailNotifications: z.boolean().default(false),
  })
  .meta({ id: 'SignUpPrivacy' })
export type SignUpPrivacy = z.infer<typeof SignUpPrivacy>

export const AcceptNoticeBody = z.strictObject({ version: z.string().min(1).max(40) }).meta({ id: 'AcceptNoticeBody' })
export const UpdateConsentsBody = Consents.partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one consent' })
  .meta({ id: 'UpdateConsentsBody' })

/** A pending request to close the account: it closes at `closesAt` unless cancelled before. */
export const DeletionRequest = z.object({ requestedAt: Instant, closesAt: Instant }).meta({ id: 'DeletionRequest' })

/** The signed-in person's privacy state: the notice they accepted, their consents, a pending deletion. */
export const PrivacyStatus = z
  .object({
    currentNoticeVersion: z.string(),
    acceptedNoticeVersion: z.string().nullable(),
    acceptedAt: Instant.nullable(),
    mustAcceptNotice: z.boolean().describe('True until the current version is accepted: the UI asks again'),
    consents: Consents,
    deletion: DeletionRequest.nullable(),
  })
  .meta({ id: 'PrivacyStatus' })
export type PrivacyStatus = z.infer<typeof PrivacyStatus>

/**
 * Re-authentication before the account is scheduled for closing: the password, or a code texted to the
 * account's own mobile number (`POST /v1/auth/phone/code`), for people who sign in by phone.
 */
export const RequestDeletionBody = z
  .strictObject({
    password: z.string().min(1).max(200).optional(),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'the 6-digit code from the text message')
      .optional(),
  })
  .refine((b) => (b.password === undefined) !== (b.code === undefined), {
    message: 'give either the password or the code',
  })
  .meta({ id: 'RequestDeletionBody' })

export const ExportStatus = z.enum(['pending', 'ready', 'failed']).meta({ id: 'ExportStatus' })

/** A data export: assembled by a job; once ready, `downloadUrl` is a signed link valid until `expiresAt`. */
export const DataExport = z
  .object({
    id: Id,
    status: ExportStatus,
    requestedAt: Instant,
    readyAt: Instant.nullable(),
    downloadUrl: z.string().nullable(),
    expiresAt: Instant.nullable(),
  })
  .meta({ id: 'DataExport' })
export type DataExport = z.infer<typeof DataExport>

export const DownloadExportQuery = z.object({
  expires: z.coerce.number().int().positive(),
  sig: z.string().min(10).max(200),
})

/** The archive: one part per service, each holding what that service keeps about the person. */
export const ExportArchive = z
  .object({
    userId: Id,
    generatedAt: Instant,
    parts: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'ExportArchive' })
export type ExportArchive = z.infer<typeof ExportArchive>

/** The name shown in place of a closed account's person (ratings, bookings, messages, sign-ups). */
export const CLOSED_ACCOUNT_NAME = '已注销用户'
