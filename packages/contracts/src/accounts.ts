import { z } from 'zod'
import { OrgRole } from './auth.ts'
import { CityName, DivisionCode, Id, Instant, text } from './common.ts'
import { Organization, OrganizationKind } from './organizations.ts'
import { PhotoId } from './photos.ts'
import { SignUpPrivacy } from './privacy.ts'

/** Emails are trimmed and lower-cased before they are stored or compared. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254)).meta({ id: 'Email' })

/**
 * At least 10 characters with a letter and a digit (or any 16+ characters, a passphrase). Long enough to
 * resist guessing under the login rate limit; the upper bound keeps hashing cheap to refuse.
 */
export const Password = z
  .string()
  .min(10, 'at least 10 characters')
  .max(200)
  .refine((p) => p.length >= 16 || (/\p{L}/u.test(p) && /\d/.test(p)), {
    message: 'use letters and digits, or a passphrase of 16 characters or more',
  })

export const User = z
  .object({
    id: Id,
    email: z.string(),
    displayName: z.string(),
    moderator: z.boolean(),
    phone: z.string().nullable().optional().describe('The verified mobile number that signs this account in'),
    createdAt: Instant,
  })
  .meta({ id: 'User' })
export type User = z.infer<typeof User>

export const RegisterBody = z
  .strictObject({
    email: Email,
    password: Password,
    displayName: text({ min: 1, max: 40 }),
    privacy: SignUpPrivacy.optional().describe(
      'The notice version the person accepted and their optional consents; without it they are asked at sign-in',
    ),
  })
  .meta({ id: 'RegisterBody' })

/**
 * The answer of `POST /v1/auth/register` and `/v1/auth/verify-email/resend`: the same whether or not the
 * email has an account, so neither tells which emails are registered. The mail says what happens next.
 */
export const VerificationSent = z.object({ status: z.literal('verification_sent') }).meta({ id: 'VerificationSent' })
export type VerificationSent = z.infer<typeof VerificationSent>

/** Body of `POST /v1/auth/verify-email`: the token from the link in the verification mail. */
export const VerifyEmailBody = z
  .strictObject({
    token: z
      .string()
      .min(20)
      .max(100)
      .regex(/^[A-Za-z0-9_-]+$/, 'the token from the link'),
  })
  .meta({ id: 'VerifyEmailBody' })

/** Body of `POST /v1/auth/verify-email/resend`. */
export const ResendVerificationBody = z.strictObject({ email: Email }).meta({ id: 'ResendVerificationBody' })

export const LoginBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(200) })
  .meta({ id: 'LoginBody' })

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(20).max(200) }).meta({ id: 'RefreshBody' })

/** Tokens of a signed-in session. The refresh token works once: each refresh returns a new one. */
export const Session = z
  .object({
    user: User,
    accessToken: z.string(),
    accessTokenExpiresAt: Instant,
    refreshToken: z.string(),
    refreshTokenExpiresAt: Instant,
    mustAcceptNotice: z
      .boolean()
      .optional()
      .describe('True while the person has not accepted the current privacy notice: the UI asks before going on'),
  })
  .meta({ id: 'Session' })
export type Session = z.infer<typeof Session>

export const Membership = z
  .object({ organizationId: Id, organizationName: z.string(), role: OrgRole })
  .meta({ id: 'Membership' })

export const Me = z
  .object({
    user: User,
    memberships: z.array(Membership),
    moderator: z.boolean(),
    mustAcceptNotice: z.boolean().optional().describe('True until the current privacy notice is accepted'),
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof Me>

export const CreateOrganizationBody = z
  .strictObject({
    name: text({ min: 2, max: 80 }),
    kind: OrganizationKind,
    district: text({ min: 1, max: 40 }),
    city: CityName,
    districtCode: DivisionCode.optional().describe(
      'The district from the gazetteer; when given, city and district names are taken from it',
    ),
    description: text({ max: 2000, multiline: true }).default(''),
  })
  .meta({ id: 'CreateOrganizationBody' })

export const UpdateOrganizationBody = CreateOrganizationBody.partial()
  .extend({ logo: PhotoId.nullable().optional().describe('An uploaded photo of the organization; null removes it') })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' })
  .meta({ id: 'UpdateOrganizationBody' })

/** The answer to creating an organization: it, and an access token that already names the caller its owner. */
export const OrganizationCreated = z
  .object({ organization: Organization, accessToken: z.string(), accessTokenExpiresAt: Instant })
  .meta({ id: 'OrganizationCreated' })

export const Member = z
  .object({
    userId: Id,
    displayName: z.string(),
    email: z
      .string()
      .nullable()
      .describe("Shown to the organization's admins and owners (and moderators); null to others"),
    role: OrgRole,
    joinedAt: Instant,
  })
  .meta({ id: 'Member' })
export type Member = z.infer<typeof Member>

export const AddMemberBody = z
  .strictObject({ email: Email, role: OrgRole.default('member') })
  .meta({ id: 'AddMemberBody' })
export const ChangeRoleBody = z.strictObject({ role: OrgRole }).meta({ id: 'ChangeRoleBody' })
