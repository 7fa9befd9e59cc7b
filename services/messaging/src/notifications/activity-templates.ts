import type { NotificationType } from '@commons/contracts'
import type { NotificationParams } from './templates.ts'

type Text = { title: string; body: string }
type ActivityType = Extract<NotificationType, `activity_${string}` | `organization_flag_${string}`>
type ActivityTemplates = Record<ActivityType, (p: NotificationParams, at: string) => Text>

/** Participants' notifications of activities, and the 整改中 flag to an organization's admins (Chinese). */
export const activityZh: ActivityTemplates = {
  activity_signed_up: (p, at) => ({
    title: `报名成功：${p.title}`,
    body: `${p.organization} 的活动将于 ${at} 开始，签到码在“我的活动”里。`,
  }),
  activity_waitlisted: (p, at) => ({
    title: `已进入候补：${p.title}`,
    body: `名额已满，你在候补名单中；有人退出时会自动为你补位（活动时间 ${at}）。`,
  }),
  activity_promoted: (p, at) => ({
    title: `候补成功：${p.title}`,
    body: `有名额空出，你已转为正式报名。活动将于 ${at} 开始。`,
  }),
  activity_cancelled: (p, at) => ({
    title: `活动已取消：${p.title}`,
    body: `${p.organization} 取消了原定 ${at} 的活动，你的报名已随之取消。`,
  }),
  activity_reminder: (p, at) => ({ title: `明天见：${p.title}`, body: `提醒：活动将于 ${at} 开始，请带好签到码。` }),
  activity_evaluation_open: (p) => ({
    title: `去评价：${p.title}`,
    body: `活动已结束，请在 14 天内评价主办方和志愿者。`,
  }),
  organization_flag_raised: (p) => ({
    title: `${p.organization} 被标记为整改中`,
    body: `近 90 天服务对象的平均评价为 ${p.average} 分（共 ${p.count} 条），低于 3 分。平均分回升后标记会自动解除。`,
  }),
  organization_flag_lifted: (p) => ({
    title: `${p.organization} 的整改中标记已解除`,
    body: `近 90 天服务对象的平均评价已回升到 ${p.average} 分。`,
  }),
}

/** The same in English. */
export const activityEn: ActivityTemplates = {
  activity_signed_up: (p, at) => ({
    title: `Signed up: ${p.title}`,
    body: `The activity of ${p.organization} starts ${at}; your check-in code is under My activities.`,
  }),
  activity_waitlisted: (p, at) => ({
    title: `On the waitlist: ${p.title}`,
    body: `The places are taken; you move up automatically when someone withdraws (the activity is ${at}).`,
  }),
  activity_promoted: (p, at) => ({
    title: `You have a place: ${p.title}`,
    body: `A place came free and is yours now. The activity starts ${at}.`,
  }),
  activity_cancelled: (p, at) => ({
    title: `Activity cancelled: ${p.title}`,
    body: `${p.organization} cancelled the activity of ${at}; your sign-up ends with it.`,
  }),
  activity_reminder: (p, at) => ({
    title: `Tomorrow: ${p.title}`,
    body: `Reminder: the activity starts ${at}; bring your check-in code.`,
  }),
  activity_evaluation_open: (p) => ({
    title: `Evaluate now: ${p.title}`,
    body: 'The activity is over; evaluate the host and the volunteers within 14 days.',
  }),
  organization_flag_raised: (p) => ({
    title: `${p.organization} is marked for improvement`,
    body: `The 90-day average from the people served is ${p.average} (${p.count} evaluations), under 3.0. The mark is lifted when it recovers.`,
  }),
  organization_flag_lifted: (p) => ({
    title: `${p.organization}: improvement mark lifted`,
    body: `The 90-day average from the people served is back at ${p.average}.`,
  }),
}
