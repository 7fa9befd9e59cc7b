import { z } from 'zod'
import { Id, Instant } from '../common.ts'
import { ConversationSubject } from '../messaging.ts'

/** Event types of the messaging feed. Message text never travels on it: only who talks about what, and when. */
export const MESSAGING_EVENTS = {
  /** entityId = the conversation's id; version = its number of messages (0 when opened). */
  conversationUpdated: 'conversation.updated',
} as const

export const ConversationUpdatedPayload = z
  .object({
    conversation: z.object({
      id: Id,
      subject: ConversationSubject,
      requesterOrganizationId: Id,
      providerOrganizationId: Id,
      messages: z.number().int().min(0),
      lastMessageAt: Instant.nullable(),
    }),
  })
  .meta({ id: 'ConversationUpdatedPayload' })
export type ConversationUpdatedPayload = z.infer<typeof ConversationUpdatedPayload>
