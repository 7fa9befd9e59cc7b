import {
  COMMUNITY_EVENTS,
  type FeedEvent,
  FlagChangedPayload,
  type NotificationType,
  type ParticipantNoticeKind,
  ParticipantNoticePayload,
} from '@commons/contracts'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { MessagingDeps } from '../deps.ts'
import { adminsOf, notifyUsers } from '../notifications/notify.ts'

type Deps = Pick<MessagingDeps, 'clock' | 'jobs' | 'channels'>

const NOTICE_TYPES: Record<ParticipantNoticeKind, NotificationType> = {
  confirmed: 'activity_signed_up',
  waitlisted: 'activity_waitlisted',
  promoted: 'activity_promoted',
  activity_cancelled: 'activity_cancelled',
  reminder: 'activity_reminder',
  evaluation_open: 'activity_evaluation_open',
}

/**
 * Applies one community-feed event: a participant's notice becomes their notification; a change of an
 * organization's 整改中 flag notifies its admins (by the members replica, so current admins). Replays add
 * nothing: the dedupe key names the sign-up and the notice (a reminder also its start, so a moved activity
 * reminds again), or the flag change's version.
 */
export async function applyCommunityEvent(trx: Transaction<DB>, deps: Deps, event: FeedEvent): Promise<void> {
  if (event.type === COMMUNITY_EVENTS.participantNotice) {
    const notice = ParticipantNoticePayload.parse(event.payload)
    const { activity } = notice
    const again = notice.kind === 'reminder' ? `:${activity.start}` : ''
    await notifyUsers(trx, deps, [notice.userId], {
      type: NOTICE_TYPES[notice.kind],
      params: { title: activity.title, start: activity.start, organization: activity.organizationName },
      link: `/activities/${activity.id}`,
      dedupeKey: `activity:${notice.registrationId}:${notice.kind}${again}`,
    })
  } else if (event.type === COMMUNITY_EVENTS.flagChanged) {
    const flag = FlagChangedPayload.parse(event.payload)
    await notifyUsers(trx, deps, await adminsOf(trx, flag.organizationId), {
      type: flag.rectifying ? 'organization_flag_raised' : 'organization_flag_lifted',
      params: {
        organization: flag.organizationName,
        average: flag.average90d === null ? '-' : flag.average90d.toFixed(2),
        count: flag.count90d,
      },
      link: `/organizations/${flag.organizationId}`,
      dedupeKey: `flag:${flag.organizationId}:${event.version}`,
    })
  }
}
