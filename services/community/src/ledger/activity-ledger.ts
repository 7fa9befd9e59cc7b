import { ActivityLedger, ActivityLedgerQuery } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import { z } from 'zod'
import type { CommunityDeps } from '../deps.ts'
import { ledgerMonths } from './ledger.repository.ts'

type Row = z.infer<typeof ActivityLedger>['items'][number]

/**
 * The open ledger's activity rows (资源使用公开透明): per organization and month (Asia/Shanghai), activities
 * held, people served (checked in), volunteer hours and the average evaluation by the people served.
 * Aggregates only; no person appears.
 */
export async function activityLedger(deps: CommunityDeps, organizationId?: string): Promise<Row[]> {
  const rows = await ledgerMonths(deps.db, organizationId)
  return rows.map((r) => ({
    organizationId: r.organizationId,
    month: r.month,
    activitiesHeld: r.activitiesHeld,
    peopleServed: r.peopleServed,
    volunteerHours: Math.round((r.volunteerMinutes / 60) * 100) / 100,
    averageFromServed: r.averageFromServed,
  }))
}

function ledgerCsv(rows: Row[]): string {
  const head = 'organization_id,month,activities_held,people_served,volunteer_hours,average_from_served'
  const lines = rows.map((r) =>
    [r.organizationId, r.month, r.activitiesHeld, r.peopleServed, r.volunteerHours, r.averageFromServed ?? ''].join(
      ',',
    ),
  )
  return `\uFEFF${[head, ...lines].join('\r\n')}\r\n`
}

/** `GET /v1/activities/ledger`: public, JSON or CSV. */
export function registerActivityLedgerRoutes(app: App, deps: CommunityDeps) {
  app.get(
    '/v1/activities/ledger',
    {
      schema: {
        operationId: 'getActivityLedger',
        tags: ['activities', 'ledger'],
        querystring: ActivityLedgerQuery,
        response: {
          200: {
            content: {
              'application/json': { schema: ActivityLedger },
              'text/csv': { schema: z.string().describe('The same months as CSV: UTF-8 with a byte order mark') },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const items = await activityLedger(deps, request.query.organizationId)
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="activity-ledger.csv"')
          .send(ledgerCsv(items))
      }
      return reply.type('application/json; charset=utf-8').send({ items })
    },
  )
}
