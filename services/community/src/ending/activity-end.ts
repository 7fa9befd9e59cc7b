import { COMMUNITY_EVENTS } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import { lockActivity, updateActivityRow } from '../activities/activities.repository.ts'
import type { CommunityDeps } from '../deps.ts'
import { evaluationWindowKey } from '../jobs/community-jobs.ts'
import { noticeParticipants } from '../notices/participant-notices.ts'
import { checkedIn, markNoShows } from '../registrations/registrations.repository.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
/** How long after its end an activity may be evaluated (like booking ratings). */
export const EVALUATION_WINDOW_DAYS = 14

/**
 * The end of a published activity, run once by its job: confirmed sign-ups never checked in are recorded
 * as no-shows; each volunteer who was checked in has served from arrival (or the start) to the end, which
 * `activity.volunteer-served` announces for bookings to credit as time credits; the evaluation window
 * opens and its closing is scheduled.
 */
export async function endActivity(deps: CommunityDeps, activityId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const activity = await lockActivity(trx, activityId)
    if (activity?.status !== 'published' || activity.endedAt) return
    const now = deps.clock.now()
    // A job that runs early (the activity was moved later after it was scheduled) waits for the new end.
    if (now < activity.endAt) return
    // The lifecycle trigger leaves the status alone; `ended_at` is what says the activity was held.
    await updateActivityRow(trx, activityId, { endedAt: now })
    await markNoShows(trx, activityId, now)
    const served = await checkedIn(trx, activityId, 'volunteer')
    for (const volunteer of served) {
      const from = Math.max(activity.startAt.getTime(), (volunteer.checkedInAt as Date).getTime())
      const minutes = Math.round((activity.endAt.getTime() - from) / MINUTE)
      if (minutes < 1) continue
      await appendEvent(trx, {
        type: COMMUNITY_EVENTS.volunteerServed,
        entityId: volunteer.id,
        version: 1,
        payload: {
          registrationId: volunteer.id,
          activityId,
          organizationId: activity.organizationId,
          userId: volunteer.userId,
          minutes,
          servedAt: activity.endAt.toISOString(),
        },
      })
    }
    // Everyone who was there may now evaluate (attendees and volunteers alike).
    const present = await checkedIn(trx, activityId)
    await noticeParticipants(trx, activity, present, 'evaluation_open')
    await deps.jobs.enqueue(
      trx,
      'evaluation-window.close',
      { activityId },
      {
        runAt: new Date(activity.endAt.getTime() + EVALUATION_WINDOW_DAYS * DAY),
        key: evaluationWindowKey(activityId),
      },
    )
  })
}
