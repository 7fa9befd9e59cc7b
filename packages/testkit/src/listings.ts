import { type BookingRules, Listing, type Pricing } from '@commons/contracts'

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** What a test sets on {@link publishedVenue}; the rest is a plain room in Pudong. */
export interface VenueOverrides {
  id?: string
  organizationId?: string
  title?: string
  pricing?: Pricing
  capacity?: number
  /** Booking rules to change; the others stay as described on {@link publishedVenue}. */
  rules?: Partial<BookingRules>
}

/**
 * A published venue listing as the listings feed carries it: 40 seats in 浦东新区, free unless priced, booked
 * on request in hours of 1 to 4 with a day's notice, open 09:00-18:00 every day in Asia/Shanghai.
 */
export function publishedVenue(over: VenueOverrides = {}): Listing {
  return Listing.parse({
    id: over.id ?? '01a22f58-9762-7ead-b1ce-d7fee65d467f',
    organizationId: over.organizationId ?? '01a22f58-866b-7d62-8176-a1342fb16c62',
    kind: 'venue',
    title: over.title ?? '多功能厅',
    description: '',
    tags: [],
    photos: [],
    location: { city: '上海', district: '浦东新区', address: '世纪大道 1 号', lat: 31.2, lng: 121.5 },
    capacity: over.capacity ?? 40,
    amenities: [],
    pricing: over.pricing ?? { model: 'free' },
    rules: {
      mode: 'request',
      slotMinutes: 60,
      minDurationMinutes: 60,
      maxDurationMinutes: 240,
      minNoticeHours: 24,
      maxAdvanceDays: 90,
      bufferMinutes: 0,
      cancellationPolicy: 'moderate',
      ...over.rules,
    },
    availability: {
      timezone: 'Asia/Shanghai',
      weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
    },
    status: 'published',
    version: 2,
    rejectionReason: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    publishedAt: '2026-11-01T00:00:00Z',
  })
}
