import { z } from 'zod'
import { checkServiceToken } from './auth.ts'
import type { App } from './service.ts'

/** The internal path where each service answers with what it holds about one person (service token only). */
export const PERSONAL_DATA_PATH = '/internal/personal-data/:userId'

/** The internal export path of one person. */
export const personalDataPath = (userId: string) => `/internal/personal-data/${encodeURIComponent(userId)}`

/**
 * Registers the internal export call: listings' export job asks every service for its part of a person's
 * archive here, so no service reads another's schema. Hidden from the public API; the web entry point does
 * not route `/internal`.
 */
export function registerPersonalDataRoute(
  app: App,
  opts: { serviceToken: string; collect: (userId: string) => Promise<Record<string, unknown>> },
): void {
  if (!opts.serviceToken) throw new Error('registerPersonalDataRoute needs a non-empty service token')
  app.get(
    PERSONAL_DATA_PATH,
    {
      config: { auth: 'service' },
      onRequest: async (request) => checkServiceToken(request, opts.serviceToken),
      schema: {
        hide: true,
        operationId: 'exportPersonalData',
        tags: ['privacy'],
        params: z.object({ userId: z.uuid() }),
      },
    },
    async (request) => opts.collect(request.params.userId),
  )
}
