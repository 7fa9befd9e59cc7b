import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.ts'

/** Per organization and month (Asia/Shanghai) of held activities: the aggregates the open ledger shows. */
export async function ledgerMonths(db: Kysely<DB>, organizationId?: string) {
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
  `.execute(db)
  return rows
}
