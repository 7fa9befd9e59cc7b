import type { AuditAction, ListingFields, ListingKind, ListingStatus, NeedFields, Quota } from '@commons/contracts'
import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** Table types of the `listings` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  users: UsersTable
  accountMails: AccountMailsTable
  refreshTokens: RefreshTokensTable
  signingKeys: SigningKeysTable
  organizations: OrganizationsTable
  memberships: MembershipsTable
  listings: ListingsTable
  needs: NeedsTable
  auditLog: AuditLogTable
  loginThrottle: LoginThrottleTable
  organizationContacts: OrganizationContactsTable
  listingPrivateDetails: ListingPrivateDetailsTable
  phoneCodes: PhoneCodesTable
  needRequests: NeedRequestsTable
  photos: PhotosTable

  organizationParents: OrganizationParentsTable
  organizationQuotas: OrganizationQuotasTable

  noticeAcceptances: NoticeAcceptancesTable
  consentRecords: ConsentRecordsTable
  deletionRequests: DeletionRequestsTable
  dataExports: DataExportsTable

  invitations: InvitationsTable
}

/** An invitation to join an organization; membership begins only when the invitee accepts. */
export interface InvitationsTable {
  id: string
  organizationId: string
  /** Normalized like users.email; the invitee is whoever signs in with it. */
  email: string
  role: 'owner' | 'admin' | 'member'
  invitedBy: string
  /** Grows with each refresh (re-invitation): the version of its `organization.invitation` event. */
  version: Generated<number>
  expiresAt: Date
  acceptedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  declinedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  revokedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}
export type InvitationRow = Selectable<InvitationsTable>

export interface UsersTable {
  id: string
  email: string
  passwordHash: string
  displayName: string
  moderator: Generated<boolean>
  /** A verified mainland mobile number that signs this account in with a one-time code. */
  phone: ColumnType<string | null, string | null | undefined, string | null>
  /** Raised by logout: access tokens of an older epoch are refused everywhere. */
  tokenEpoch: Generated<number>
  /** Grows with every change other services authorize by (moderator flag, token epoch): `account.access`. */
  accessVersion: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
  /** Set when the account was closed: its personal fields are erased, the id stays as a pseudonym. */
  closedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
  /** When the owner proved the email theirs (a link from a verification mail); null: cannot sign in yet. */
  emailVerifiedAt: ColumnType<Date | null, Date | null | undefined, Date | null>
}
export type UserRow = Selectable<UsersTable>

export interface RefreshTokensTable {
  id: string
  familyId: string
  userId: string
  tokenHash: Buffer
  expiresAt: Date
  usedAt: Date | null
  revokedAt: Date | null
  createdAt: Generated<Date>
}

export interface SigningKeysTable {
  kid: string
  privateJwk: Record<string, unknown>
  publicJwk: Record<string, unknown>
  createdAt: Generated<Date>
  retiredAt: Date | null
}

export interface OrganizationsTable {
  id: string
  name: string
  kind: string
  district: string
  city: string
  /** GB/T 2260 code of the district; null when the names name no district of the gazetteer. */
  districtCode: Generated<string | null>
  description: string
  /** Photo id of the logo, one of the organization's photos. */
  logo: Generated<string | null>
  verified: Generated<boolean>
  version: Generated<number>
  /** The version of the last `organization.members` event (tokens carry it; replicas compare with it). */
  membersVersion: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}
export type OrganizationRow = Selectable<OrganizationsTable>
export type NewOrganization = Insertable<OrganizationsTable>

export interface MembershipsTable {
  organizationId: string
  userId: string
  role: 'owner' | 'admin' | 'member'
  createdAt: Generated<Date>
}

export interface ListingsTable {
  id: string
  organizationId: string
  kind: ListingKind
  status: Generated<ListingStatus>
  title: string
  city: string
  district: string
  /** The listing's client-written fields (ListingFields), validated before every write. */
  details: ColumnType<ListingFields, string, string>
  rejectionReason: string | null
  version: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
  publishedAt: Date | null
}
export type ListingRow = Selectable<ListingsTable>

export interface NeedsTable {
  id: string
  organizationId: string
  kind: ListingKind
  status: Generated<'open' | 'closed'>
  city: string
  district: string
  /** The need's fields (NeedFields), validated before every write. */
  details: ColumnType<NeedFields, string, string>
  version: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
  closedAt: Date | null
  /** The needs survey the need was raised from, if any. */
  surveyId: ColumnType<string | null, string | null | undefined, string | null>
}
export type NeedRow = Selectable<NeedsTable>

export interface AuditLogTable {
  id: string
  actorId: string | null
  action: AuditAction
  objectType: 'listing' | 'organization' | 'user'
  objectId: string
  reason: string | null
  createdAt: Generated<Date>
}

export interface LoginThrottleTable {
  email: string
  failures: number
  lastFailureAt: Date
  lockedUntil: Date | null
}

export interface OrganizationContactsTable {
  organizationId: string
  contactPerson: string
  mobile: string
  wechatId: string | null
  version: Generated<number>
  updatedAt: Generated<Date>
}

export interface ListingPrivateDetailsTable {
  listingId: string
  arrivalNotes: string
  paymentTerms: string
  version: Generated<number>
  updatedAt: Generated<Date>
}

/** A mail sent to an account about signing up; a verification link's token is kept hashed. */
export interface AccountMailsTable {
  id: string
  userId: string
  kind: 'verify_email' | 'account_exists'
  tokenHash: Buffer | null
  expiresAt: Date | null
  usedAt: Date | null
  sentAt: Date
}

export interface PhoneCodesTable {
  id: string
  phone: string
  codeHash: Buffer
  salt: Buffer
  expiresAt: Date
  attempts: Generated<number>
  usedAt: Date | null
  createdAt: Generated<Date>
}

export interface NeedRequestsTable {
  userId: string
  key: string
  bodyHash: Buffer
  needId: string
  createdAt: Generated<Date>
}

/** A photo an organization uploaded; its variants are in the photo store under `id`. */
export interface PhotosTable {
  organizationId: string
  id: string
  uploadedBy: string
  width: number
  height: number
  createdAt: Generated<Date>
}

/** An organization's link to its parent; `none` once it ended (the row keeps the version). */
export interface OrganizationParentsTable {
  organizationId: string
  parentId: string | null
  status: 'none' | 'pending' | 'confirmed'
  requestedBy: string | null
  requestedAt: Date | null
  confirmedBy: string | null
  confirmedAt: Date | null
  version: Generated<number>
}
export type OrganizationParentRow = Selectable<OrganizationParentsTable>

/** A parent organization's fair-share quotas. */
export interface OrganizationQuotasTable {
  organizationId: string
  quotas: ColumnType<Quota[], string, string>
  version: Generated<number>
  updatedAt: Generated<Date>
}

export interface NoticeAcceptancesTable {
  userId: string
  noticeVersion: string
  acceptedAt: Date
}

export interface ConsentRecordsTable {
  id: Generated<string>
  userId: string
  purpose: 'personalisedRecommendations' | 'emailNotifications'
  granted: boolean
  recordedAt: Date
}

export interface DeletionRequestsTable {
  userId: string
  requestedAt: Date
  closesAt: Date
  cancelledAt: Date | null
  closedAt: Date | null
}

export interface DataExportsTable {
  id: string
  userId: string
  status: ColumnType<'pending' | 'ready' | 'failed', 'pending' | undefined, 'pending' | 'ready' | 'failed'>
  requestedAt: Date
  readyAt: Date | null
  expiresAt: Date | null
  archive: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
}
