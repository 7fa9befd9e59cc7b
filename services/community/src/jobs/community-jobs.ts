import { type JobQueue, jobsSchemaOf } from '@commons/jobs'

/** The deferred work of the community service, each task with its payload. */
export interface CommunityJobs {
  /** An activity's evaluation window closes: whatever was submitted is published. */
  'evaluation-window.close': { activityId: string }
}

export type CommunityJobQueue = JobQueue<CommunityJobs>

/** Where the community service keeps its jobs (owned by this service, beside its schema). */
export const JOBS_SCHEMA = jobsSchemaOf('community')
