import type { Language, NotificationType } from '@commons/contracts'
import { activityEn, activityZh } from './activity-templates.ts'
import { invitationEn, invitationZh } from './invitation-templates.ts'

/** What a notification's text is built from; stored with it, rendered in the reader's language. */
export interface NotificationParams {
  title?: string
  start?: string
  organization?: string
  author?: string
  preview?: string
  /** The 整改中 flag's figures: the 90-day average from the people served and how many evaluations. */
  average?: string
  count?: number
}

const when = (iso: string | undefined, language: Language) =>
  iso
    ? new Intl.DateTimeFormat(language, {
        timeZone: 'Asia/Shanghai',
        month: 'short',
        day: 'numeric',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }).format(new Date(iso))
    : ''

type Text = { title: string; body: string }
type Templates = Record<NotificationType, (p: NotificationParams, at: string) => Text>

const zh: Templates = {
  booking_requested: (p, at) => ({
    title: `新的预约：${p.title}`,
    body: `${p.organization} 预约了 ${at}，请尽快答复。`,
  }),
  booking_accepted: (p, at) => ({ title: `预约已确认：${p.title}`, body: `${p.organization} 已确认 ${at} 的预约。` }),
  booking_declined: (p, at) => ({
    title: `预约未被接受：${p.title}`,
    body: `${p.organization} 未能接受 ${at} 的预约。`,
  }),
  booking_cancelled: (p, at) => ({ title: `预约已取消：${p.title}`, body: `${at} 的预约已取消。` }),
  booking_expired: (p, at) => ({ title: `预约已过期：${p.title}`, body: `${at} 的预约未在期限内得到答复，已过期。` }),
  booking_completed: (p) => ({ title: `已完成，去评价：${p.title}`, body: `本次使用已完成，请在 14 天内评价对方。` }),
  booking_reminder_24h: (p, at) => ({ title: `明天见：${p.title}`, body: `提醒：预约将于 ${at} 开始。` }),
  booking_reminder_2h: (p, at) => ({
    title: `即将开始：${p.title}`,
    body: `提醒：预约将于 ${at} 开始（约 2 小时后）。`,
  }),
  rating_published: (p) => ({ title: `评价已公开：${p.title}`, body: `双方的评价已公开，可以查看并回复。` }),
  listing_approved: (p) => ({ title: `资源已发布：${p.title}`, body: `你的资源已通过审核并公开展示。` }),
  listing_rejected: (p) => ({ title: `资源未通过审核：${p.title}`, body: `请根据审核意见修改后重新提交。` }),
  organization_verified: (p) => ({
    title: `组织已认证：${p.organization}`,
    body: `你的组织已通过认证，资源可直接发布。`,
  }),
  need_matches_listing: (p) => ({
    title: `有需求适合你的资源：${p.title}`,
    body: `${p.organization} 发布了需求，可以联系需求方。`,
  }),
  message_received: (p) => ({ title: `${p.author} 发来消息：${p.title}`, body: p.preview ?? '' }),
  ...activityZh,
  ...invitationZh,
}

const en: Templates = {
  booking_requested: (p, at) => ({
    title: `New booking: ${p.title}`,
    body: `${p.organization} booked ${at}; please answer soon.`,
  }),
  booking_accepted: (p, at) => ({
    title: `Booking confirmed: ${p.title}`,
    body: `${p.organization} confirmed the booking for ${at}.`,
  }),
  booking_declined: (p, at) => ({
    title: `Booking declined: ${p.title}`,
    body: `${p.organization} could not accept the booking for ${at}.`,
  }),
  booking_cancelled: (p, at) => ({
    title: `Booking cancelled: ${p.title}`,
    body: `The booking for ${at} was cancelled.`,
  }),
  booking_expired: (p, at) => ({
    title: `Booking expired: ${p.title}`,
    body: `The booking for ${at} was not answered in time.`,
  }),
  booking_completed: (p) => ({ title: `Completed, rate now: ${p.title}`, body: 'Rate the other side within 14 days.' }),
  booking_reminder_24h: (p, at) => ({ title: `Tomorrow: ${p.title}`, body: `Reminder: your booking starts ${at}.` }),
  booking_reminder_2h: (p, at) => ({
    title: `Starting soon: ${p.title}`,
    body: `Reminder: your booking starts ${at} (in about 2 hours).`,
  }),
  rating_published: (p) => ({ title: `Ratings published: ${p.title}`, body: 'Both ratings are public now.' }),
  listing_approved: (p) => ({
    title: `Listing published: ${p.title}`,
    body: 'Your listing passed review and is public.',
  }),
  listing_rejected: (p) => ({
    title: `Listing not approved: ${p.title}`,
    body: 'Change it as the review says and submit again.',
  }),
  organization_verified: (p) => ({
    title: `Organization verified: ${p.organization}`,
    body: 'Your listings may now publish directly.',
  }),
  need_matches_listing: (p) => ({
    title: `A need fits your listings: ${p.title}`,
    body: `${p.organization} posted a need you may answer.`,
  }),
  message_received: (p) => ({ title: `Message from ${p.author}: ${p.title}`, body: p.preview ?? '' }),
  ...activityEn,
  ...invitationEn,
}

const TEMPLATES: Record<Language, Templates> = { 'zh-CN': zh, en }

/** The title and body of a notification in `language`. */
export function renderNotification(type: NotificationType, params: NotificationParams, language: Language): Text {
  return TEMPLATES[language][type](params, when(params.start, language))
}
