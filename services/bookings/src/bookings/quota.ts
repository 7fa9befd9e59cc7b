import {
  type FeedEvent,
  LISTINGS_EVENTS,
  type ListingKind,
  OrganizationQuotasChangedPayload,
  type QuotaExceededDetails,
  SLOT_HOLDING_STATUSES,
} from '@commons/contracts'
import { applyParentChanged } from '@commons/db'
import { problem } from '@commons/service-kit'
import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { HOUR } from '../units.ts'

// Two-key advisory locks apart from the booking (per listing) namespace: one per requester, provider and kind.
const QUOTA_LOCK_NAMESPACE = 0x71756f74 // 'quot'

/**
 * Keeps the replicas of confirmed parent links and parents' quotas. Idempotent by version: an event not newer
 * than the stored row changes nothing (delivery is at least once).
 */
export async function applyHierarchyEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type === LISTINGS_EVENTS.organizationParentChanged) {
    await applyParentChanged(trx, event.payload)
  } else if (event.type === LISTINGS_EVENTS.organizationQuotasChanged) {
    const { organizationId, quotas, version } = OrganizationQuotasChangedPayload.parse(event.payload)
    const document = JSON.stringify(quotas)
    await trx
      .insertInto('organizationQuotas')
      .values({ organizationId, quotas: document, version })
      .onConflict((oc) =>
        oc
          .column('organizationId')
          .doUpdateSet({ quotas: document, version })
          .where('organizationQuotas.version', '<', version),
      )
      .execute()
  }
}

/**
 * The cap (hours per month) that applies to a creation, as one scalar SQL expression over the listing row `l`
 * (its owner and kind), so it is read in the same round trip as the listing: the owner's quota for the
 * listing's kind, when the requester sits anywhere below the owner in the confirmed hierarchy; null
 * otherwise. Read before the creating transaction like the listing's terms: a cap set meanwhile applies
 * from the next creation on.
 */
export function applicableCap(requesterOrganizationId: string): RawBuilder<number | null> {
  return sql<number | null>`(
    with recursive up (id, depth) as (
      select parent_id, 1 from organization_parents
       where organization_id = ${requesterOrganizationId}::uuid and parent_id is not null
      union all
      select p.parent_id, up.depth + 1
        from organization_parents p join up on p.organization_id = up.id
       where p.parent_id is not null and up.depth < 64
    )
    select (q.cap->>'hoursPerMonth')::float8
      from organization_quotas oq
      cross join lateral jsonb_array_elements(oq.quotas) q(cap)
     where oq.organization_id = l.organization_id
       and l.organization_id <> ${requesterOrganizationId}::uuid
       and q.cap->>'kind' = l.kind
       and exists (select 1 from up where id = l.organization_id)
     limit 1
  )`
}

export interface QuotaRequest {
  providerOrganizationId: string
  requesterOrganizationId: string
  kind: ListingKind
  /** The listing's time zone: months run by its calendar. */
  timezone: string
  start: Date
  end: Date
}

/**
 * The fair-share check, inside the booking's transaction: an organization below the listing's owner books at
 * most the owner's monthly cap of hours of the listing's kind at the owner's listings, counted by the month
 * of each booking's start in the listing's time zone, over slot-holding bookings. `cap` is what
 * `applicableCap` read with the listing (null: no cap applies). Creations that count
 * against one cap queue on an advisory lock, so the sum each one reads includes every booking committed
 * before it: no two concurrent bookings together pass the cap. Refuses with 409 `quota_exceeded`.
 */
export async function enforceQuota(trx: Transaction<DB>, request: QuotaRequest, cap: number | null): Promise<void> {
  const { providerOrganizationId: provider, requesterOrganizationId: requester, kind } = request
  if (cap === null) return

  await sql`select pg_advisory_xact_lock(${QUOTA_LOCK_NAMESPACE}, hashtext(${`${requester}:${provider}:${kind}`}))`.execute(
    trx,
  )
  const { rows } = await sql<{ used: string | null; month: string }>`
    select coalesce(sum(extract(epoch from (end_at - start_at))), 0) / 3600 as used,
           to_char(${request.start}::timestamptz at time zone ${request.timezone}, 'YYYY-MM') as month
      from bookings
     where requester_organization_id = ${requester}
       and provider_organization_id = ${provider}
       and listing_kind = ${kind}
       and status in (${sql.join([...SLOT_HOLDING_STATUSES])})
       and date_trunc('month', start_at at time zone ${request.timezone})
         = date_trunc('month', ${request.start}::timestamptz at time zone ${request.timezone})
  `.execute(trx)
  const used = Number(rows[0]?.used ?? 0)
  const requested = (request.end.getTime() - request.start.getTime()) / HOUR
  if (used + requested <= cap) return
  const round = (n: number) => Math.round(n * 100) / 100
  const details: QuotaExceededDetails = {
    kind,
    month: rows[0]?.month ?? '',
    hoursPerMonth: cap,
    usedHours: round(used),
    requestedHours: round(requested),
    remainingHours: round(Math.max(0, cap - used)),
  }
  throw problem(
    'quota_exceeded',
    `This booking needs ${details.requestedHours} h, but only ${details.remainingHours} h of the ${cap} h monthly ` +
      `${kind} quota set by the listing's parent organization remain for ${details.month}.`,
    { body: { quota: details } },
  )
}
