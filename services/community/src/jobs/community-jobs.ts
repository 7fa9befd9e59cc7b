import { type JobQueue, jobsSchemaOf } from '@commons/jobs'

/** The deferred work of the community service, each task with its payload. */
export interface CommunityJobs {
  /** An activity ended: no-shows recorded, volunteers' hours announced, its evaluation window opens. */
  'activity.end': { activityId: string }
  /** An activity's evaluation window closes: whatever was submitted is published. */
  'evaluation-window.close': { activityId: string }
  /** A day before an activity starts, its participants are reminded. */
  'activity.reminder': { activityId: string }
  /** Daily: every organization's 整改中 flag is settled again by the rolling 90-day average. */
  'flags.recheck': Record<string, never>
  /** Evaluations were published or hidden: every badge is judged again against the others' averages. */
  'badges.recheck': Record<string, never>
}

export type CommunityJobQueue = JobQueue<CommunityJobs>

/** Where the community service keeps its jobs (owned by this service, beside its schema). */
export const JOBS_SCHEMA = jobsSchemaOf('community')

/** One end job per activity: publishing or moving the activity moves it. */
export const activityEndKey = (activityId: string) => `activity-end:${activityId}`

/** One close job per activity's evaluation window. */
export const evaluationWindowKey = (activityId: string) => `evaluation-window:${activityId}`

/** One reminder job per activity: publishing or moving the activity moves it. */
export const activityReminderKey = (activityId: string) => `activity-reminder:${activityId}`

/** The one pending daily recheck of flags. */
export const FLAGS_RECHECK_KEY = 'flags-recheck'

/** The one pending recheck of badges: evaluations published in a burst queue one run. */
export const BADGES_RECHECK_KEY = 'badges-recheck'
