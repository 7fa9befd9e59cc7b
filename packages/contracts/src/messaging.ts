import { z } from 'zod'
import { cursorPage, Id, Instant, text } from './common.ts'

/** What a conversation is about: a booking (its two sides) or a need and one provider organization answering it. */
export const ConversationSubject = z
  .strictObject({ type: z.enum(['booking', 'need']), id: Id })
  .meta({ id: 'ConversationSubject' })
export type ConversationSubject = z.infer<typeof ConversationSubject>

/**
 * `POST /v1/conversations`. For a booking, `organizationId` is the caller's side (either organization of the
 * booking); for a need, the provider organization answering it. Asking again returns the same conversation.
 */
export const CreateConversationBody = z
  .strictObject({ subject: ConversationSubject, organizationId: Id })
  .meta({ id: 'CreateConversationBody' })
export type CreateConversationBody = z.infer<typeof CreateConversationBody>

/** A conversation as one of its parties sees it. */
export const Conversation = z
  .object({
    id: Id,
    subject: ConversationSubject,
    title: z.string().describe('The listing or need it is about, as known to messaging'),
    /** The organization asking (booking requester, or the need's organization). */
    requesterOrganization: z.object({ id: Id, name: z.string() }),
    /** The organization providing (the listing's, or the one answering the need). */
    providerOrganization: z.object({ id: Id, name: z.string() }),
    lastMessageAt: Instant.nullable(),
    lastMessagePreview: z.string().nullable(),
    unread: z.number().int().min(0).describe("Messages of the other parties after the caller's last read"),
    reported: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'Conversation' })
export type Conversation = z.infer<typeof Conversation>

export const ConversationPage = cursorPage(Conversation).meta({ id: 'ConversationPage' })

/** Visible characters: code points after trimming, so one Chinese character or one emoji counts once. */
const visibleLength = (s: string) => [...s].length

/** A message's text: 1–2000 visible characters, line breaks allowed, no control characters. */
export const MessageText = text({ min: 1, max: 8000, multiline: true }).refine(
  (s) => visibleLength(s) >= 1 && visibleLength(s) <= 2000,
  { message: 'must be 1 to 2000 characters' },
)

export const PostMessageBody = z.strictObject({ text: MessageText }).meta({ id: 'PostMessageBody' })
export type PostMessageBody = z.infer<typeof PostMessageBody>

export const Message = z
  .object({
    id: Id,
    conversationId: Id,
    author: z.object({ userId: Id, displayName: z.string(), organizationId: Id.nullable() }),
    text: z.string(),
    createdAt: Instant,
  })
  .meta({ id: 'Message' })
export type Message = z.infer<typeof Message>

/** Newest first; `nextCursor` pages to older messages (pass it as `before`). */
export const MessagePage = z
  .object({ items: z.array(Message), nextCursor: z.string().nullable() })
  .meta({ id: 'MessagePage' })

export const MessagesQuery = z.object({
  before: z.string().max(512).optional().describe('The `nextCursor` of the previous page: older messages'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})

export const ReportConversationBody = z
  .strictObject({ reason: text({ min: 1, max: 500, multiline: true }) })
  .meta({ id: 'ReportConversationBody' })

/** Every kind of notification; preferences are kept per kind. */
export const NotificationType = z
  .enum([
    'booking_requested',
    'booking_accepted',
    'booking_declined',
    'booking_cancelled',
    'booking_expired',
    'booking_completed',
    'booking_reminder_24h',
    'booking_reminder_2h',
    'rating_published',
    'listing_approved',
    'listing_rejected',
    'organization_verified',
    'need_matches_listing',
    'message_received',
    // activities (community feed): to the participant, and the 整改中 flag to the host's admins
    'activity_signed_up',
    'activity_waitlisted',
    'activity_promoted',
    'activity_cancelled',
    'activity_reminder',
    'activity_evaluation_open',
    'organization_flag_raised',
    'organization_flag_lifted',
    // an admin invited the person to an organization (listings feed)
    'organization_invitation',
  ])
  .meta({ id: 'NotificationType' })
export type NotificationType = z.infer<typeof NotificationType>

export const Notification = z
  .object({
    id: Id,
    type: NotificationType,
    title: z.string(),
    body: z.string(),
    /** The page it is about, a path of the web UI (e.g. `/bookings/<id>`). */
    link: z.string(),
    read: z.boolean(),
    createdAt: Instant,
  })
  .meta({ id: 'Notification' })
export type Notification = z.infer<typeof Notification>

export const NotificationPage = cursorPage(Notification)
  .extend({ unread: z.number().int().min(0) })
  .meta({ id: 'NotificationPage' })

export const NotificationsQuery = z.object({
  unread: z.stringbool().optional().describe('true: only unread ones'),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

/** `POST /v1/notifications/read`: the ones named, or all of the caller's. */
export const MarkNotificationsReadBody = z
  .union([z.strictObject({ ids: z.array(Id).min(1).max(200) }), z.strictObject({ all: z.literal(true) })])
  .meta({ id: 'MarkNotificationsReadBody' })

export const UnreadCount = z.object({ unread: z.number().int().min(0) }).meta({ id: 'UnreadCount' })

export const Language = z.enum(['zh-CN', 'en']).meta({ id: 'Language' })
export type Language = z.infer<typeof Language>

const ChannelSwitches = z.strictObject({ inApp: z.boolean(), email: z.boolean() })

/** A member's choices: the language of emails, where emails go, and per type which channels. */
export const NotificationPreferences = z
  .object({
    language: Language,
    email: z.object({ address: z.string().nullable(), enabled: z.boolean() }),
    types: z.record(NotificationType, ChannelSwitches),
  })
  .meta({ id: 'NotificationPreferences' })
export type NotificationPreferences = z.infer<typeof NotificationPreferences>

export const UpdatePreferencesBody = z
  .strictObject({
    language: Language.optional(),
    email: z
      .strictObject({
        address: z.string().trim().toLowerCase().pipe(z.email().max(254)).nullable().optional(),
        enabled: z.boolean().optional(),
      })
      .optional(),
    types: z.partialRecord(NotificationType, ChannelSwitches.partial()).optional(),
  })
  .meta({ id: 'UpdatePreferencesBody' })
export type UpdatePreferencesBody = z.infer<typeof UpdatePreferencesBody>

/** A short-lived ticket for `GET /v1/notifications/stream?ticket=` (EventSource cannot send headers). */
export const StreamTicket = z.object({ ticket: z.string(), expiresAt: Instant }).meta({ id: 'StreamTicket' })

export const StreamQuery = z.object({ ticket: z.string().max(512).optional() })

export const UnsubscribeQuery = z.object({ token: z.string().min(10).max(512) })
