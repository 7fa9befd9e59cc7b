import type { Language } from '@commons/contracts'

/** A notification rendered for one recipient, in their language. */
export interface RenderedNotification {
  subject: string
  text: string
  /** Absolute URL of the page it is about. */
  url: string
  /** Absolute URL that turns this channel off for the recipient, without signing in. */
  unsubscribeUrl: string
  language: Language
}

/** Where a channel reaches a recipient; each channel reads its own address. */
export interface Recipient {
  userId: string
  email: string | null
}

/**
 * A way to reach people besides the in-app center. Email is the one built in; an SMS or WeChat
 * subscription-message channel implements the same two members (see README, "Notification channels").
 */
export interface Channel {
  readonly name: string
  /** The recipient's address on this channel, or null when they have none (the delivery is skipped). */
  addressOf(recipient: Recipient): string | null
  /** Sends one message; throws on failure, and the delivery job retries with backoff. */
  send(address: string, message: RenderedNotification): Promise<void>
}
