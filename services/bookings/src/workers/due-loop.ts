import { setTimeout as sleep } from 'node:timers/promises'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Runs due work one item per transaction until `step` finds nothing due or `max` items ran. `step` takes one
 * due row with FOR UPDATE SKIP LOCKED (so replicas share the work and never run one item twice) and applies
 * it in the same transaction, so a crash in between runs it again rather than losing it. Returns how many ran.
 */
export async function runDue(
  db: Kysely<DB>,
  step: (trx: Transaction<DB>) => Promise<boolean>,
  max = 100,
): Promise<number> {
  let ran = 0
  while (ran < max) {
    const took = await db.transaction().execute(step)
    if (!took) break
    ran += 1
  }
  return ran
}

/** A running poller. */
export interface Poller {
  stop(): Promise<void>
}

/** Calls `run` every `intervalMs` until stopped; a failing run is logged and tried again on the next tick. */
export function startPoller(
  what: string,
  run: () => Promise<unknown>,
  opts: { intervalMs: number; log: { warn(obj: object, msg: string): void } },
): Poller {
  const stopping = new AbortController()
  const running = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await run()
      } catch (error) {
        if (stopping.signal.aborted) break
        opts.log.warn({ err: error }, `${what} poll failed; retrying`)
      }
      await sleep(opts.intervalMs, undefined, { signal: stopping.signal }).catch(() => {})
    }
  })()
  return {
    async stop() {
      stopping.abort()
      await running
    },
  }
}
