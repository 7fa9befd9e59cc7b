import { setTimeout as sleep } from 'node:timers/promises'
import type { App } from '@commons/service-kit'
import type { BookingsConfig } from '../config.ts'
import { registerCreditRoutes } from '../credits/credits.routes.ts'
import type { BookingsDeps } from '../deps.ts'
import { registerLedgerRoutes } from '../ledger/ledger.routes.ts'
import { registerReputationRoutes } from '../reputation/reputation.routes.ts'
import { startCompletionConsumer } from './completion.ts'
import { registerRatingRoutes } from './ratings.routes.ts'
import { closeDueRatingWindows } from './ratings.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Ratings' background work, reachable for tests and scripts. */
    ratings: {
      /** Resolves once completions, no-shows and cancellations in the bookings feed were applied (RUN_WORKERS). */
      syncCompletions(): Promise<void>
      /** Publishes the ratings of windows closed by the clock now; returns how many. */
      closeDueWindows(): Promise<number>
    }
  }
}

/** Polls for closed rating windows every `intervalMs` until stopped; a failing poll is logged and retried. */
function startWindowWorker(deps: BookingsDeps, intervalMs: number, log: App['log']) {
  const stopping = new AbortController()
  const running = (async () => {
    while (!stopping.signal.aborted) {
      try {
        await closeDueRatingWindows(deps)
      } catch (error) {
        if (stopping.signal.aborted) break
        log.warn({ err: error }, 'rating window poll failed; retrying')
      }
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => {})
    }
  })()
  return {
    async stop() {
      stopping.abort()
      await running
    },
  }
}

/**
 * Ratings, reputation, the usage ledger and time credits: their routes, and (RUN_WORKERS) the consumer of
 * the service's own feed that reacts to completions, and the worker that closes rating windows. Call after
 * the database's onClose hook is registered, so (hooks run in reverse) the workers stop before the pool.
 */
export function registerRatings(app: App, deps: BookingsDeps, config: BookingsConfig): void {
  registerRatingRoutes(app, deps)
  registerReputationRoutes(app, deps)
  registerLedgerRoutes(app, deps)
  registerCreditRoutes(app, deps)
  let syncCompletions = async () => {}
  if (config.RUN_WORKERS) {
    const consumer = startCompletionConsumer(deps, { registry: app.metrics.registry, log: app.log })
    const windows = startWindowWorker(deps, config.TIMER_POLL_MS, app.log)
    syncCompletions = () => consumer.drain()
    app.addHook('onClose', async () => {
      await Promise.all([consumer.stop(), windows.stop()])
    })
  }
  app.decorate('ratings', {
    syncCompletions: () => syncCompletions(),
    closeDueWindows: () => closeDueRatingWindows(deps),
  })
}
