import { IndexStatus, ReindexStatus } from '@commons/contracts'
import { type App, requireModerator } from '@commons/service-kit'
import { type AdminDeps, indexStatus, startReindex } from './admin.service.ts'

const security = [{ bearerAuth: [] }]

/** Moderators' view of the search index and the zero-downtime rebuild. */
export function registerAdminRoutes(app: App, deps: AdminDeps) {
  const tags = ['admin']
  app.post(
    '/v1/admin/reindex',
    {
      schema: {
        operationId: 'reindex',
        tags,
        security,
        description: 'Rebuild the search indexes into new ones and swap them in atomically; searches keep working.',
        response: { 202: ReindexStatus },
      },
    },
    async (request, reply) => {
      requireModerator(request)
      return reply.code(202).send(await startReindex(deps))
    },
  )
  app.get(
    '/v1/admin/index-status',
    { schema: { operationId: 'getIndexStatus', tags, security, response: { 200: IndexStatus } } },
    async (request) => {
      requireModerator(request)
      return indexStatus(deps, app.indexWorkers)
    },
  )
}
