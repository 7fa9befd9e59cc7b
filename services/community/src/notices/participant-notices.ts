import { COMMUNITY_EVENTS, type ParticipantNoticeKind } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import { lockActivity, organizationName } from '../activities/activities.repository.ts'
import type { ActivityRow, DB, RegistrationRow } from '../db/schema.ts'
import type { CommunityDeps } from '../deps.ts'
import { activityReminderKey } from '../jobs/community-jobs.ts'
import { confirmedOf } from '../registrations/registrations.repository.ts'

const HOUR = 3_600_000
/** Participants are reminded this long before the start (as bookings' first reminder). */
export const REMINDER_LEAD_HOURS = 24

/**
 * Announces `activity.participant-notice` for each sign-up given, in the caller's transaction: messaging
 * turns it into the person's notification. One event per person: the feed carries a user id only to the
 * person it concerns, as `activity.volunteer-served` does.
 */
export async function noticeParticipants(
  trx: Transaction<DB>,
  activity: ActivityRow,
  registrations: ReadonlyArray<Pick<RegistrationRow, 'id' | 'userId' | 'role'>>,
  kind: ParticipantNoticeKind,
): Promise<void> {
  if (registrations.length === 0) return
  const name = await organizationName(trx, activity.organizationId)
  for (const r of registrations) {
    await appendEvent(trx, {
      type: COMMUNITY_EVENTS.participantNotice,
      entityId: r.id,
      version: activity.version,
      payload: {
        kind,
        registrationId: r.id,
        userId: r.userId,
        role: r.role,
        activity: {
          id: activity.id,
          title: activity.title,
          start: activity.startAt.toISOString(),
          organizationName: name,
        },
      },
    })
  }
}

/** Schedules (or moves) an activity's reminder; none when the reminder's time has passed already. */
export async function scheduleReminder(deps: CommunityDeps, trx: Transaction<DB>, row: ActivityRow): Promise<void> {
  const runAt = new Date(row.startAt.getTime() - REMINDER_LEAD_HOURS * HOUR)
  if (runAt <= deps.clock.now()) {
    await deps.jobs.cancel(trx, activityReminderKey(row.id))
    return
  }
  await deps.jobs.enqueue(trx, 'activity.reminder', { activityId: row.id }, { runAt, key: activityReminderKey(row.id) })
}

/** The reminder's job: everyone with a place in a published activity that has not started hears of it. */
export async function remindParticipants(deps: CommunityDeps, activityId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const activity = await lockActivity(trx, activityId)
    if (activity?.status !== 'published') return
    const now = deps.clock.now()
    // Moved later after the job was queued: the moved job reminds at the right time.
    if (now < new Date(activity.startAt.getTime() - REMINDER_LEAD_HOURS * HOUR) || now >= activity.startAt) return
    const confirmed = await confirmedOf(trx, activityId)
    await noticeParticipants(trx, activity, confirmed, 'reminder')
  })
}
