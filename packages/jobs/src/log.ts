import { Logger } from 'graphile-worker'

/** The subset of a pino logger the jobs package uses. */
export interface JobsLog {
  debug(obj: Record<string, unknown>, msg: string): void
  info(obj: Record<string, unknown>, msg: string): void
  warn(obj: Record<string, unknown>, msg: string): void
  error(obj: Record<string, unknown>, msg: string): void
}

/**
 * graphile-worker's logger, written to the service's log. Its info lines (worker started, job completed)
 * go to debug so an idle service stays quiet; its errors are mostly failed attempts and connection blips
 * it retries by itself, so they are warnings; a dead job is logged once by the runner as an error.
 */
export function workerLogger(log: JobsLog | undefined, fields: Record<string, unknown>): Logger {
  return new Logger((scope) => (level, message, meta) => {
    // Failed attempts are logged once, with the job's fields, by the worker's own 'job:error' handler.
    if (!log || meta?.failure === true) return
    const obj = { ...fields, ...scope, ...(meta?.error ? { err: meta.error } : {}) }
    // Its shutdown on a migration notice is followed by the runner starting again (worker.ts supervise),
    // which logs what happened; the notice names no schema, so it is mostly another service's install.
    if (message.includes('detected breaking migration')) log.debug(obj, message)
    else if (level === 'error' || level === 'warning') log.warn(obj, message)
    else if (level === 'info') log.debug(obj, message)
  })
}
