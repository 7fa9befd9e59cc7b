import type { KitTables } from '@commons/db'
import type { ColumnType, Generated, Selectable } from 'kysely'

/** Table types of the `messaging` schema (camelCase; the database uses snake_case). */
export interface DB extends KitTables {
  organizations: OrganizationsTable
  members: MembersTable
  listings: ListingsTable
  needs: NeedsTable
  bookings: BookingsTable
  conversations: ConversationsTable
  messages: MessagesTable
  conversationReads: ConversationReadsTable
  moderationReads: ModerationReadsTable
  notifications: NotificationsTable
  preferences: PreferencesTable
  deliveries: DeliveriesTable
}

export interface OrganizationsTable {
  id: string
  name: string
  verified: boolean
  version: number
  membersVersion: Generated<number>
}
export interface MembersTable {
  organizationId: string
  userId: string
  displayName: string
  role: 'owner' | 'admin' | 'member'
}
export interface ListingsTable {
  id: string
  organizationId: string
  title: string
  kind: string
  city: string | null
  status: string
  version: number
  /** The published listing (`Listing`), for the fits rule; null on rows replicated before it was kept. */
  snapshot: ColumnType<Record<string, unknown> | null, string | null, string | null>
}
export interface NeedsTable {
  id: string
  organizationId: string
  title: string
  kind: string
  city: string
  status: string
  version: number
}
export interface BookingsTable {
  id: string
  listingId: string
  providerOrganizationId: string
  requesterOrganizationId: string
  requesterUserId: string
  status: string
  startAt: Date
  endAt: Date
  version: number
}
export type BookingRow = Selectable<BookingsTable>

export interface ConversationsTable {
  id: string
  subjectType: 'booking' | 'need'
  subjectId: string
  requesterOrganizationId: string
  providerOrganizationId: string
  createdAt: Date
  lastMessageAt: Date | null
  messageCount: Generated<number>
  reportedAt: Date | null
  reportedBy: string | null
  reportReason: string | null
}
export type ConversationRow = Selectable<ConversationsTable>

export interface MessagesTable {
  id: string
  conversationId: string
  authorId: string
  authorName: string
  authorOrganizationId: string | null
  text: string
  createdAt: Date
  idempotencyKey: string | null
  requestHash: string | null
}
export type MessageRow = Selectable<MessagesTable>

export interface ConversationReadsTable {
  conversationId: string
  userId: string
  readAt: Date
}
export interface ModerationReadsTable {
  id: Generated<number>
  conversationId: string
  moderatorId: string
  readAt: Date
}
export interface NotificationsTable {
  id: string
  seq: Generated<number>
  userId: string
  type: string
  params: ColumnType<Record<string, unknown>, string, string>
  link: string
  createdAt: Date
  readAt: Date | null
  dedupeKey: string
}
export type NotificationRow = Selectable<NotificationsTable>

export interface PreferencesTable {
  userId: string
  language: Generated<string>
  emailAddress: string | null
  emailEnabled: Generated<boolean>
  types: ColumnType<Array<{ type: string; inApp?: boolean; email?: boolean }>, string | undefined, string>
  updatedAt: Date
}
export interface DeliveriesTable {
  notificationId: string
  channel: string
  deliveredAt: Date
}
