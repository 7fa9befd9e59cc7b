import { randomUUID } from 'node:crypto'
import { call } from './api.ts'

/** One request of the load and how it ended. */
export interface Sample {
  at: number
  op: string
  status: number
  code: string | undefined
}

/** Who the load acts as: a verified provider organization and a requesting one. */
export interface Actors {
  providerOrgId: string
  providerToken: string
  requesterOrgId: string
  requesterToken: string
}

/** Writes the API acknowledged (2xx); every one of them must still be there after the faults. */
export interface Acknowledged {
  users: { email: string; password: string }[]
  listings: string[]
  bookings: { id: string; listingId: string }[]
}

const PASSWORD = 'fault suite password'
const allDay = [{ start: '00:00', end: '24:00' }]

/** The body of a venue that books instantly in one-hour slots, every hour of every day. */
export function venueBody(title: string) {
  return {
    kind: 'venue',
    title,
    description: '故障演练用的会议室，全天开放，按小时预订。',
    tags: ['会议', '演练'],
    location: { city: '上海', district: '浦东新区', address: '花木路 1000 号', lat: 31.2152, lng: 121.5448 },
    capacity: 30,
    amenities: ['projector', 'wifi'],
    rules: { mode: 'instant', slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 60, minNoticeHours: 1 },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
    },
  }
}

/**
 * A steady mix of reads and writes through the public API from a few concurrent workers: register, create
 * and publish a listing, book an hour (on few listings and few hours, so that bookings often contend for
 * the same slot), search. Every answer is sampled; every acknowledged write is remembered.
 */
export class Load {
  readonly samples: Sample[] = []
  readonly acknowledged: Acknowledged = { users: [], listings: [], bookings: [] }
  private running = false
  private workers: Promise<void>[] = []
  private counter = 0

  constructor(
    private readonly base: string,
    private readonly actors: Actors,
  ) {}

  start(workers = 2, pauseMs = 50): void {
    this.running = true
    this.workers = Array.from({ length: workers }, (_, i) => this.work(i, pauseMs))
  }

  async stop(): Promise<void> {
    this.running = false
    await Promise.all(this.workers)
  }

  private async work(worker: number, pauseMs: number): Promise<void> {
    const ops = ['search', 'book', 'register', 'book', 'search', 'listing'] as const
    let i = worker
    while (this.running) {
      const op = ops[i++ % ops.length] as (typeof ops)[number]
      const sampled = this.samples.length
      await this[op]()
      // Steady, not a flood: while something is down, failures come back at once and would otherwise
      // turn into thousands of requests that slow down the very restart being measured.
      const failed = this.samples.slice(sampled).some((s) => s.status === 0 || s.status >= 500)
      await new Promise((resolve) => setTimeout(resolve, failed ? 250 : pauseMs))
    }
  }

  private record(op: string, answer: { status: number; code: string | undefined }) {
    this.samples.push({ at: Date.now(), op, status: answer.status, code: answer.code })
  }

  private async search() {
    this.record('search', await call(this.base, 'GET', `/v1/search?q=${encodeURIComponent('会议室')}&perPage=5`))
  }

  private async register() {
    const email = `load-${randomUUID()}@example.org`
    const res = await call(this.base, 'POST', '/v1/auth/register', {
      body: { email, password: PASSWORD, displayName: '演练用户' },
    })
    this.record('register', res)
    // 202: the account is stored (unverified) and its link mailed; the check looks for the stored account.
    if (res.status === 202) this.acknowledged.users.push({ email, password: PASSWORD })
  }

  private async listing() {
    const created = await call(this.base, 'POST', `/v1/organizations/${this.actors.providerOrgId}/listings`, {
      token: this.actors.providerToken,
      body: venueBody(`演练会议室 ${++this.counter}`),
    })
    this.record('create listing', created)
    if (created.status !== 201) return
    this.acknowledged.listings.push(created.body.id)
    // A verified organization's listing publishes on submit.
    this.record(
      'publish listing',
      await call(this.base, 'POST', `/v1/listings/${created.body.id}/submit`, { token: this.actors.providerToken }),
    )
  }

  private async book() {
    const listings = this.acknowledged.listings.slice(0, 4)
    const listingId = listings[Math.floor(Math.random() * listings.length)]
    if (!listingId) return
    // Whole hours two to four days ahead: 48 of them per listing, so bookings often collide.
    const hour = new Date(
      Math.floor(Date.now() / 3_600_000) * 3_600_000 + (48 + Math.floor(Math.random() * 48)) * 3_600_000,
    )
    const res = await call(this.base, 'POST', '/v1/bookings', {
      token: this.actors.requesterToken,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        listingId,
        organizationId: this.actors.requesterOrgId,
        start: hour.toISOString(),
        end: new Date(hour.getTime() + 3_600_000).toISOString(),
        attendees: 10,
        purpose: '故障演练',
      },
    })
    this.record('book', res)
    if (res.status === 201) this.acknowledged.bookings.push({ id: res.body.id, listingId })
  }
}
