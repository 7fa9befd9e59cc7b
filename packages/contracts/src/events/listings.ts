import { z } from 'zod'
import { OrgRole } from '../auth.ts'
import { Id } from '../common.ts'
import { ListingPrivateDetails, OrganizationContacts } from '../contacts.ts'

import { Quota } from '../hierarchy.ts'
import { Listing, ListingStatus } from '../listings.ts'
import { Need, NeedStatus } from '../needs.ts'
import { Organization, OrganizationSummary } from '../organizations.ts'
import { Consents } from '../privacy.ts'

/** Event types of the listings feed. Each one's payload schema is in `EVENT_CATALOGUE` (events/catalogue.ts). */
export const LISTINGS_EVENTS = {
  /** Full snapshot; entityId = listing id, version = listing version. */
  listingPublished: 'listing.published',
  /** entityId = listing id, version = listing version. */
  listingWithdrawn: 'listing.withdrawn',
  /** entityId = organization id. */
  organizationUpdated: 'organization.updated',
  /** Full snapshot, on creation and every change while open; entityId = need id. */
  needOpened: 'need.opened',
  /** entityId = need id. */
  needClosed: 'need.closed',
  /**
   * Private: an organization's contacts (entityId = organization id). For bookings, which shows them on
   * confirmed bookings; discovery and every indexer must skip `private.*` types.
   */
  organizationContacts: 'private.organization_contacts',
  /** Private: a listing's arrival notes and payment terms (entityId = listing id); as above. */
  listingPrivateDetails: 'private.listing_details',

  /** The organization's members after a change of membership; entityId = organization id (messaging). */
  organizationMembers: 'organization.members',

  /**
   * A user's moderator flag and token epoch after a grant, a revoke or a logout; entityId = user id,
   * version = the user's access version. Services refuse tokens of an older epoch at once.
   */
  accountAccess: 'account.access',

  /** entityId = the child organization's id; version grows with every change of its parent link. */
  organizationParentChanged: 'organization.parent_changed',
  /** entityId = the parent organization's id; version grows with every change of its quotas. */
  organizationQuotasChanged: 'organization.quotas_changed',

  // personal information (issue 20)
  /** A person's optional consents after a change; entityId = user id. Services honour them. */
  userConsentsChanged: 'user.consents_changed',
  /** An account was closed: every service erases or pseudonymises what it holds; entityId = user id. */
  accountClosed: 'account.closed',

  /** A moderator sent a pending listing back to draft; entityId = listing id, version = listing version. */
  listingRejected: 'listing.rejected',

  // invitations (issue 13)
  /**
   * An admin invited an email that belongs to an account; entityId = invitation id, version grows with each
   * refresh. Messaging tells the invitee. An invitation to an email without an account publishes nothing.
   */
  organizationInvitation: 'organization.invitation',
} as const

/**
 * Payload of `listing.published`: sent on every change of a published listing (including the publication
 * itself), with the organization's public facts, so consumers never need to call listings.
 */
export const ListingPublishedPayload = z
  .object({ listing: Listing, organization: OrganizationSummary })
  .meta({ id: 'ListingPublishedPayload' })
export type ListingPublishedPayload = z.infer<typeof ListingPublishedPayload>

/**
 * Payload of `listing.rejected`: who to tell (messaging notifies the organization's admins) and what about.
 * The moderator's reason stays in listings, where the owners read it on the draft.
 */
export const ListingRejectedPayload = z
  .object({ listingId: Id, organizationId: Id, title: z.string(), version: z.number().int() })
  .meta({ id: 'ListingRejectedPayload' })
export type ListingRejectedPayload = z.infer<typeof ListingRejectedPayload>

/** Payload of `listing.withdrawn`: the listing left `published` (paused or archived). */
export const ListingWithdrawnPayload = z
  .object({ listingId: Id, organizationId: Id, status: ListingStatus, version: z.number().int() })
  .meta({ id: 'ListingWithdrawnPayload' })
export type ListingWithdrawnPayload = z.infer<typeof ListingWithdrawnPayload>

/** Payload of `organization.updated`: the organization's public profile after the change. */
export const OrganizationUpdatedPayload = z
  .object({ organization: Organization })
  .meta({ id: 'OrganizationUpdatedPayload' })
export type OrganizationUpdatedPayload = z.infer<typeof OrganizationUpdatedPayload>

/** Payload of `need.opened`: the need as the board shows it. */
export const NeedOpenedPayload = z.object({ need: Need }).meta({ id: 'NeedOpenedPayload' })
export type NeedOpenedPayload = z.infer<typeof NeedOpenedPayload>

/** Payload of `need.closed`: the need left the board. */
export const NeedClosedPayload = z
  .object({ needId: Id, status: NeedStatus, version: z.number().int() })
  .meta({ id: 'NeedClosedPayload' })
export type NeedClosedPayload = z.infer<typeof NeedClosedPayload>

/** Payload of `private.organization_contacts`: the contacts after the change (null when removed). */
export const OrganizationContactsPayload = z
  .object({ organizationId: Id, contacts: OrganizationContacts.nullable() })
  .meta({ id: 'OrganizationContactsPayload' })
export type OrganizationContactsPayload = z.infer<typeof OrganizationContactsPayload>

/** Payload of `private.listing_details`: a listing's arrival notes and payment terms after the change. */
export const ListingPrivateDetailsPayload = z
  .object({ listingId: Id, organizationId: Id, details: ListingPrivateDetails })
  .meta({ id: 'ListingPrivateDetailsPayload' })
export type ListingPrivateDetailsPayload = z.infer<typeof ListingPrivateDetailsPayload>

/** Whether an event type carries private data (contacts, arrival notes): never indexed or shown publicly. */
export const isPrivateEventType = (type: string) => type.startsWith('private.')

/**
 * Payload of `organization.members`: every member with their role, after each change (join, role change,
 * removal), so messaging knows who speaks for an organization from current state, not token claims.
 * Display names only: emails and other contact data never travel on this feed (discovery reads it too).
 */
export const OrganizationMembersPayload = z
  .object({
    organizationId: Id,
    members: z.array(z.object({ userId: Id, displayName: z.string(), role: OrgRole })),
  })
  .meta({ id: 'OrganizationMembersPayload' })
export type OrganizationMembersPayload = z.infer<typeof OrganizationMembersPayload>

/**
 * Payload of `organization.parent_changed`: the organization's confirmed parent after the change, null while
 * it has none (a pending request does not count, so it is not sent until the parent's admin confirms).
 */
export const OrganizationParentChangedPayload = z
  .object({ organizationId: Id, parentId: Id.nullable(), version: z.number().int() })
  .meta({ id: 'OrganizationParentChangedPayload' })
export type OrganizationParentChangedPayload = z.infer<typeof OrganizationParentChangedPayload>

/** Payload of `organization.quotas_changed`: all of a parent's fair-share quotas after the change. */
export const OrganizationQuotasChangedPayload = z
  .object({ organizationId: Id, quotas: z.array(Quota), version: z.number().int() })
  .meta({ id: 'OrganizationQuotasChangedPayload' })
export type OrganizationQuotasChangedPayload = z.infer<typeof OrganizationQuotasChangedPayload>

/** Payload of `user.consents_changed`: the person's optional consents after the change (no contact data). */
export const UserConsentsChangedPayload = z
  .object({ userId: Id, consents: Consents })
  .meta({ id: 'UserConsentsChangedPayload' })
export type UserConsentsChangedPayload = z.infer<typeof UserConsentsChangedPayload>

/**
 * Payload of `account.closed`: the account is gone. Consumers erase the person's personal fields or replace
 * them by `CLOSED_ACCOUNT_NAME`; the user id stays as the stable pseudonym that keeps records consistent.
 */
export const AccountClosedPayload = z
  .object({ userId: Id, closedAt: z.iso.datetime({ offset: true }) })
  .meta({ id: 'AccountClosedPayload' })
export type AccountClosedPayload = z.infer<typeof AccountClosedPayload>

/**
 * Payload of `account.access`: what other services need to authorize a user from current state rather than
 * token claims. No email or name: discovery reads this feed too.
 */
export const AccountAccessPayload = z
  .object({ userId: Id, moderator: z.boolean(), tokenEpoch: z.number().int().nonnegative() })
  .meta({ id: 'AccountAccessPayload' })
export type AccountAccessPayload = z.infer<typeof AccountAccessPayload>

/**
 * Payload of `organization.invitation`: whom to tell (the invitee's user id, never the email: discovery
 * reads this feed) and what about. Accepting publishes `organization.members` as any membership change does.
 */
export const OrganizationInvitationPayload = z
  .object({
    invitationId: Id,
    organizationId: Id,
    organizationName: z.string(),
    userId: Id,
    role: OrgRole,
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'OrganizationInvitationPayload' })
export type OrganizationInvitationPayload = z.infer<typeof OrganizationInvitationPayload>
