import { z } from 'zod'
import { Id, Instant, text } from './common.ts'

/*
 * Private facts of the two sides of a booking: who to call, how to get in, how to pay. They live in their own
 * tables and schemas, never inside Organization, Listing or Need, so a public response or a feed that
 * discovery indexes cannot carry them by accident. They reach a booking only once it is confirmed.
 */

/**
 * A mainland China mobile number (11 digits starting 13–19), stored as the 11 digits. People write it with
 * spaces, dashes or the +86 country code; all of those are accepted and dropped.
 */
export const MainlandMobile = z
  .string()
  .trim()
  .max(24)
  .transform((s) => s.replace(/[\s-]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number: 11 digits starting 13–19'))
  .meta({ id: 'MainlandMobile' })

/** A WeChat ID as WeChat allows it: 6–20 letters, digits, `-` or `_`, starting with a letter. */
export const WeChatId = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/, '6–20 letters, digits, - or _, starting with a letter')

/** Who the other side calls about a booking. */
export const OrganizationContacts = z
  .object({
    contactPerson: z.string(),
    mobile: z.string(),
    wechatId: z.string().nullable(),
  })
  .meta({ id: 'OrganizationContacts' })
export type OrganizationContacts = z.infer<typeof OrganizationContacts>

/** Body of `PUT /v1/organizations/:id/contacts` (admins and owners). */
export const PutOrganizationContactsBody = z
  .strictObject({
    contactPerson: text({ min: 1, max: 40 }),
    mobile: MainlandMobile,
    wechatId: WeChatId.nullable().default(null),
  })
  .meta({ id: 'PutOrganizationContactsBody' })
export type PutOrganizationContactsBody = z.infer<typeof PutOrganizationContactsBody>

/** How a booker gets in and pays: shown on a booking once it is confirmed. */
export const ListingPrivateDetails = z
  .object({
    arrivalNotes: z.string().describe('How to find the place and get in: gate, floor, who opens it'),
    paymentTerms: z.string().describe('For offline payment: how and when to pay (account, WeChat Pay, cash)'),
  })
  .meta({ id: 'ListingPrivateDetails' })
export type ListingPrivateDetails = z.infer<typeof ListingPrivateDetails>

/** Body of `PUT /v1/listings/:id/private-details` (admins and owners of the listing's organization). */
export const PutListingPrivateDetailsBody = z
  .strictObject({
    arrivalNotes: text({ max: 1000, multiline: true }).default(''),
    paymentTerms: text({ max: 1000, multiline: true }).default(''),
  })
  .meta({ id: 'PutListingPrivateDetailsBody' })

/** The two sides of a booking as everyone on it sees them from the start: names only. */
export const BookingParties = z
  .object({
    provider: z.object({ organizationId: Id, organizationName: z.string().nullable() }),
    requester: z.object({
      organizationId: Id,
      organizationName: z.string().nullable(),
      bookerName: z.string().nullable().describe('Display name of the member who booked, when it was made'),
    }),
  })
  .meta({ id: 'BookingParties' })
export type BookingParties = z.infer<typeof BookingParties>

/** What the two sides see of each other once the booking is confirmed (and after it took place). */
export const BookingContacts = z
  .object({
    provider: OrganizationContacts.nullable().describe('Null when the provider has not given contacts'),
    requester: OrganizationContacts.nullable().describe('Null when the requesting organization has not given them'),
    address: z.string().nullable(),
    arrivalNotes: z.string().nullable(),
    paymentTerms: z.string().nullable(),
  })
  .meta({ id: 'BookingContacts' })
export type BookingContacts = z.infer<typeof BookingContacts>

/** Body of `POST /v1/auth/phone/code`: send a one-time sign-in code to this number. */
export const PhoneCodeBody = z.strictObject({ phone: MainlandMobile }).meta({ id: 'PhoneCodeBody' })

/** The answer to a code request: when it stops working and when another may be asked for. */
export const PhoneCodeSent = z
  .object({ expiresAt: Instant, resendAfterSeconds: z.number().int() })
  .meta({ id: 'PhoneCodeSent' })

const OneTimeCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'the 6-digit code from the text message')

/** Body of `POST /v1/auth/phone/login`. */
export const PhoneLoginBody = z
  .strictObject({ phone: MainlandMobile, code: OneTimeCode })
  .meta({ id: 'PhoneLoginBody' })

/** Body of `PUT /v1/me/phone`: proves the number with a code and makes it sign this account in. */
export const AttachPhoneBody = z
  .strictObject({ phone: MainlandMobile, code: OneTimeCode })
  .meta({ id: 'AttachPhoneBody' })
