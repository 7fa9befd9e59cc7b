import { AppError } from '@commons/service-kit'
import type { Kysely } from 'kysely'
import { listDeadJobs, retryJob } from './admin.ts'
import type { JobQueue } from './queue.ts'

/** The usage line of {@link runJobsCommand}, for a service's own usage text. */
export const JOBS_USAGE = 'jobs list [--task <task>] [--limit <n>] | jobs retry <id>'

/** Where {@link runJobsCommand} writes. */
export interface CommandOutput {
  write(text: string): unknown
}

/**
 * The operators' `jobs` command a service's `cli.ts` mounts: `jobs list` prints the dead jobs, `jobs retry
 * <id>` gives one a fresh set of attempts. `args` are the words after `jobs`. Resolves with the exit code
 * (0, 1 for a job that cannot be retried, 64 for a usage error).
 */
export async function runJobsCommand<DB>(
  args: string[],
  ctx: {
    db: Kysely<DB>
    queue: Pick<JobQueue<Record<string, object>>, 'schema' | 'clock'>
    out: CommandOutput
    err: CommandOutput
  },
): Promise<number> {
  const [verb, ...rest] = args
  if (verb === 'list') {
    const flags = parseFlags(rest)
    if (!flags) return usage(ctx.err)
    const limit = flags.limit === undefined ? undefined : Number(flags.limit)
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return usage(ctx.err)
    const jobs = await listDeadJobs(ctx.db, ctx.queue, { task: flags.task, limit })
    if (jobs.length === 0) {
      ctx.out.write(`No dead jobs in ${ctx.queue.schema}.\n`)
      return 0
    }
    for (const job of jobs) {
      ctx.out.write(
        `${job.id}\t${job.task}\tattempts ${job.attempts}/${job.maxAttempts}\tfailed ${job.updatedAt.toISOString()}` +
          `${job.key ? `\tkey ${job.key}` : ''}\n\t${JSON.stringify(job.payload)}\n\t${firstLine(job.lastError)}\n`,
      )
    }
    ctx.out.write(`${jobs.length} dead job(s) in ${ctx.queue.schema}; retry one with: jobs retry <id>\n`)
    return 0
  }
  if (verb === 'retry' && rest.length === 1 && rest[0]) {
    try {
      const job = await retryJob(ctx.db, ctx.queue, rest[0])
      ctx.out.write(`Job ${job.id} (${job.task}) will run again from ${job.runAt.toISOString()}.\n`)
      return 0
    } catch (error) {
      if (error instanceof AppError && (error.code === 'job_not_found' || error.code === 'job_not_dead')) {
        ctx.err.write(`${error.detail}\n`)
        return 1
      }
      throw error
    }
  }
  return usage(ctx.err)
}

function usage(err: CommandOutput): number {
  err.write(`usage: ${JOBS_USAGE}\n`)
  return 64 // EX_USAGE
}

function parseFlags(args: string[]): { task?: string; limit?: string } | undefined {
  const flags: { task?: string; limit?: string } = {}
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]
    const value = args[i + 1]
    if ((name !== '--task' && name !== '--limit') || value === undefined) return undefined
    flags[name.slice(2) as 'task' | 'limit'] = value
  }
  return flags
}

function firstLine(text: string | null): string {
  return (text ?? '(no error recorded)').split('\n')[0]!.slice(0, 300)
}
