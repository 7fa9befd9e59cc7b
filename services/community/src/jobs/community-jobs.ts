import { type JobQueue, jobsSchemaOf } from '@commons/jobs'

/** The deferred work of the community service, each task with its payload. */
export interface CommunityJobs {
  /** An activity ended: no-shows recorded, volunteers' hours announced, its evaluation window opens. */
  'activity.end': { activityId: string }
  /** An activity's evaluation window closes: whatever was submitted is published. */
  'evaluation-window.close': { activityId: string }
}

export type CommunityJobQueue = JobQueue<CommunityJobs>

/** Where the community service keeps its jobs (owned by this service, beside its schema). */
export const JOBS_SCHEMA = jobsSchemaOf('community')

/** One end job per activity: publishing or moving the activity moves it. */
export const activityEndKey = (activityId: string) => `activity-end:${activityId}`

/** One close job per activity's evaluation window. */
export const evaluationWindowKey = (activityId: string) => `evaluation-window:${activityId}`
