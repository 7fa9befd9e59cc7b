import { ActivityLedger, ActivityLedgerQuery } from '@commons/contracts'
import type { App } from '@commons/service-kit'
import { sql } from 'kysely'
import { z } from 'zod'
import type { CommunityDeps } from '../deps.ts'

type Row = z.infer<typeof ActivityLedger>['items'][number]

/**
 * The open ledger's activity rows (资源使用公开透明): per organization and month (Asia/Shanghai), activities
 * held, people served (checked in), volunteer hours and the average evaluation by the people served.
 * Aggregates only; no person appears.
 */
export async function activityLedger(deps: CommunityDeps, organizationId?: string): Promise<Row[]> {
  const { rows } = await sql<{
    organizationId: string
    month: string
    activitiesHeld: number
    peopleServed: number
    volunteerMinutes: number
    averageFromServed: number | null
  }>`
    with held as (
      select id, organization_id, start_at, end_at, to_char(start_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month
      from activities
      where ended_at is not null and status = 'published'
        and (${organizationId ?? null}::uuid is null or organization_id = ${organizationId ?? null}::uuid)
    )
    select h.organization_id, h.month,
      count(distinct h.id)::int as activities_held,
      (select count(*) from registrations r join held h2 on h2.id = r.activity_id
        where h2.organization_id = h.organization_id and h2.month = h.month
          and r.role = 'attendee' and r.checked_in_at is not null)::int as people_served,
      coalesce((select sum(extract(epoch from h3.end_at - greatest(h3.start_at, r.checked_in_at)) / 60)
        from registrations r join held h3 on h3.id = r.activity_id
        where h3.organization_id = h.organization_id and h3.month = h.month
          and r.role = 'volunteer' and r.checked_in_at is not null), 0)::float8 as volunteer_minutes,
      (select round(avg(e.score), 2)::float8 from evaluations e join held h4 on h4.id = e.activity_id
        where h4.organization_id = h.organization_id and h4.month = h.month and e.direction = 'attendee_to_host'
          and e.published_at is not null and e.hidden_at is null) as average_from_served
    from held h
    group by h.organization_id, h.month
    order by h.month desc, h.organization_id
  `.execute(deps.db)
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
