import { SLOT_HOLDING_STATUSES } from '@commons/contracts'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { DB, ListingReplicaRow } from '../db/schema.ts'

/** A listing's replica and the busy ranges that can matter for a window, read together. */
export interface ListingWithBusy<Extra = undefined> {
  /** Undefined when the listings feed has not brought the listing (yet). */
  listing: ListingReplicaRow | undefined
  /** Slot-holding bookings as [start, end) in epoch ms, without their buffers. */
  busy: Array<{ start: number; end: number }>
  /** What the caller's `extra` expression yielded for the listing; undefined without a listing. */
  extra: Extra | undefined
}

// Upper bounds of the contract (BookingRules): a replica missing a rule pads by the most it could need.
const MAX_DURATION_MINUTES = 10_080
const MAX_BUFFER_MINUTES = 240

/**
 * The replica of a listing and its slot-holding bookings whose busy range touches [from, to) widened by the
 * listing's buffer, and, with `reach`, also by its longest booking (a slot near the window's edge belongs
 * to windows reaching past it). One round trip: availability is asked on every listing page view, and the
 * listing and its bookings used to be two sequential reads. The busy ranges come as two float8 arrays,
 * since parsing hundreds of timestamptz values row by row cost more than the computation that uses them.
 */
export async function listingWithBusy<Extra = undefined>(
  db: Kysely<DB>,
  listingId: string,
  from: Date,
  to: Date,
  opts: {
    reach: boolean
    /**
     * A scalar expression over the listing row `l` (e.g. a json_build_object of what else the caller needs
     * about it), answered as `extra` in the same round trip.
     */
    extra?: RawBuilder<Extra>
  },
): Promise<ListingWithBusy<Extra>> {
  const reach = opts.reach ? sql`coalesce((l.rules->>'maxDurationMinutes')::int, ${MAX_DURATION_MINUTES})` : sql`0`
  const extra = opts.extra ? sql`, ${opts.extra} as extra` : sql``
  const { rows } = await sql<ListingReplicaRow & { starts: number[]; ends: number[]; extra?: Extra }>`
    select l.listing_id, l.organization_id, l.organization_name, l.kind, l.status, l.version, l.title,
           l.capacity, l.pricing, l.rules, l.availability, l.updated_at, b.starts, b.ends${extra}
    from listing_replica l
    cross join lateral (
      select make_interval(mins => ${reach} + coalesce((l.rules->>'bufferMinutes')::int, ${MAX_BUFFER_MINUTES})) as pad
    ) w
    cross join lateral (
      select coalesce(array_agg(extract(epoch from k.start_at)::float8 * 1000 order by k.start_at), '{}') as starts,
             coalesce(array_agg(extract(epoch from k.end_at)::float8 * 1000 order by k.start_at), '{}') as ends
      from bookings k
      where k.listing_id = l.listing_id
        and k.status in (${sql.join([...SLOT_HOLDING_STATUSES])})
        and tstzrange(k.start_at, k.busy_until, '[)') && tstzrange(${from}::timestamptz - w.pad, ${to}::timestamptz + w.pad, '[)')
    ) b
    where l.listing_id = ${listingId}`.execute(db)
  const row = rows[0]
  if (!row) return { listing: undefined, busy: [], extra: undefined }
  const { starts, ends, extra: extraValue, ...listing } = row
  return { listing, busy: starts.map((start, i) => ({ start, end: ends[i]! })), extra: extraValue }
}
