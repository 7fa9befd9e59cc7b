import { z } from 'zod'
import { CityName, DivisionCode, Id, Instant, MAX_MONEY_AMOUNT, Money, text } from './common.ts'
import { ListingPhoto } from './photos.ts'

/*
 * A listing is one of three kinds sharing common fields. The kind-specific fields sit flat next to the
 * common ones, discriminated by `kind`, so one schema validates a whole listing and names the failing field.
 */

export const ListingKind = z.enum(['venue', 'expertise', 'volunteer_time']).meta({ id: 'ListingKind' })
export type ListingKind = z.infer<typeof ListingKind>

/** draft -> pending_review -> published <-> paused; any -> archived (terminal). */
export const ListingStatus = z
  .enum(['draft', 'pending_review', 'published', 'paused', 'archived'])
  .meta({ id: 'ListingStatus' })
export type ListingStatus = z.infer<typeof ListingStatus>

export const Amenity = z
  .enum([
    'projector',
    'screen',
    'wifi',
    'whiteboard',
    'sound_system',
    'microphone',
    'air_conditioning',
    'kitchen',
    'accessible',
    'parking',
    'toilet',
    'stage',
    'tables_chairs',
    'outdoor_space',
    'childcare',
    'computers',
  ])
  .meta({ id: 'Amenity' })
export type Amenity = z.infer<typeof Amenity>

export const ExpertiseFormat = z.enum(['talk', 'workshop', 'consultation', 'training']).meta({ id: 'ExpertiseFormat' })
export const Delivery = z.enum(['onsite', 'online', 'both']).meta({ id: 'Delivery' })
export const CancellationPolicy = z.enum(['flexible', 'moderate', 'strict']).meta({ id: 'CancellationPolicy' })
export type CancellationPolicy = z.infer<typeof CancellationPolicy>
export const BookingMode = z.enum(['instant', 'request']).meta({ id: 'BookingMode' })

/**
 * Where a listing is. The district is picked from the gazetteer: with `districtCode` the server fills the
 * province, city and district codes and names from it (the names sent are replaced). A place written by
 * names alone gets codes when the names name one district. `lat`/`lng` are the map pin (WGS-84); without
 * one, the district's centroid serves for distance. Venues need an address, and a known district or a pin.
 */
export const Location = z
  .strictObject({
    provinceCode: DivisionCode.optional().describe('Set by the server from districtCode'),
    province: z.string().max(40).optional().describe('Set by the server from districtCode'),
    cityCode: DivisionCode.optional().describe('Set by the server from districtCode'),
    city: CityName,
    districtCode: DivisionCode.optional(),
    district: text({ min: 1, max: 40 }),
    address: text({ min: 1, max: 200 }).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
  })
  .refine((l) => (l.lat === undefined) === (l.lng === undefined), {
    message: 'lat and lng go together',
    path: ['lng'],
  })
  .meta({ id: 'Location' })
export type Location = z.infer<typeof Location>

/** `free`, or a `fee` per hour or per booking; either may ask a refundable deposit. */
export const Pricing = z
  .discriminatedUnion('model', [
    z.strictObject({ model: z.literal('free'), deposit: Money.optional() }),
    z.strictObject({
      model: z.literal('fee'),
      unit: z.enum(['hour', 'booking']),
      price: Money.refine((m) => m.amount > 0, { message: 'a fee must be more than 0', path: ['amount'] }),
      deposit: Money.optional(),
    }),
  ])
  .meta({ id: 'Pricing' })
export type Pricing = z.infer<typeof Pricing>

/** How bookings of a listing work. Durations in minutes. */
export const BookingRules = z
  .strictObject({
    mode: BookingMode.default('request'),
    slotMinutes: z.number().int().min(15).max(1440).default(60),
    minDurationMinutes: z.number().int().min(15).max(10080).default(60),
    maxDurationMinutes: z.number().int().min(15).max(10080).default(240),
    minNoticeHours: z.number().int().min(0).max(720).default(24),
    maxAdvanceDays: z.number().int().min(1).max(365).default(90),
    bufferMinutes: z.number().int().min(0).max(240).default(0),
    cancellationPolicy: CancellationPolicy.default('flexible'),
  })
  .refine((r) => r.minDurationMinutes <= r.maxDurationMinutes, {
    message: 'must not exceed maxDurationMinutes',
    path: ['minDurationMinutes'],
  })
  .refine((r) => r.minDurationMinutes % r.slotMinutes === 0 && r.maxDurationMinutes % r.slotMinutes === 0, {
    message: 'durations must be whole multiples of slotMinutes',
    path: ['slotMinutes'],
  })
  .meta({ id: 'BookingRules' })
export type BookingRules = z.infer<typeof BookingRules>

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use HH:MM, 00:00 to 24:00')
const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))

/** Opening hours within one day, local time of the listing's time zone. */
export const DayHours = z
  .strictObject({ start: HHMM, end: HHMM })
  .refine((h) => toMinutes(h.start) < toMinutes(h.end), { message: 'end must be after start', path: ['end'] })
  .meta({ id: 'DayHours' })
export type DayHours = z.infer<typeof DayHours>

const DayHoursList = z
  .array(DayHours)
  .max(6)
  .refine(
    (list) => {
      const sorted = [...list].sort((a, b) => toMinutes(a.start) - toMinutes(b.start))
      return sorted.every((h, i) => i === 0 || toMinutes(sorted[i - 1]!.end) <= toMinutes(h.start))
    },
    { message: 'opening hours of one day must not overlap' },
  )

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']).meta({ id: 'Weekday' })
export type Weekday = z.infer<typeof Weekday>

const IanaZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone })
      return zone.includes('/') || zone === 'UTC'
    } catch {
      return false
    }
  },
  { message: 'not an IANA time zone (e.g. Asia/Shanghai)' },
)

/** A dated exception: closed that day, or open with special hours instead of the weekly ones. */
export const AvailabilityException = z
  .strictObject({
    date: z.iso.date(),
    closed: z.boolean().default(false),
    hours: DayHoursList.default([]),
    note: text({ max: 200 }).optional(),
  })
  .refine((e) => !(e.closed && e.hours.length > 0), { message: 'a closed day has no hours', path: ['hours'] })
  .meta({ id: 'AvailabilityException' })
export type AvailabilityException = z.infer<typeof AvailabilityException>

/** When a listing can be booked: weekly hours in its time zone, and dated exceptions. */
export const Availability = z
  .strictObject({
    timezone: IanaZone.default('Asia/Shanghai'),
    weekly: z.partialRecord(Weekday, DayHoursList).default({}),
    exceptions: z
      .array(AvailabilityException)
      .max(366)
      .default([])
      .refine((list) => new Set(list.map((e) => e.date)).size === list.length, {
        message: 'one exception per date',
      }),
  })
  .meta({ id: 'Availability' })
export type Availability = z.infer<typeof Availability>

const Tag = text({ min: 1, max: 20 })

/** Fields every kind has, as a client writes them. */
export const ListingCommonFields = z.strictObject({
  title: text({ min: 2, max: 80 }),
  description: text({ max: 5000, multiline: true }).default(''),
  tags: z.array(Tag).max(12).default([]),
  photos: z
    .array(ListingPhoto)
    .max(12)
    .default([])
    .refine((list) => new Set(list.map((p) => p.id)).size === list.length, { message: 'a photo is listed twice' })
    .describe('Uploaded photos in the order shown; the first is the cover'),
  location: Location,
  pricing: Pricing.default({ model: 'free' }),
  rules: BookingRules.default(BookingRules.parse({})),
  availability: Availability.default(Availability.parse({})),
})

export const VenueFields = ListingCommonFields.extend({
  kind: z.literal('venue'),
  capacity: z.number().int().min(1).max(100_000),
  areaSqm: z.number().positive().max(1_000_000).optional(),
  amenities: z.array(Amenity).max(Amenity.options.length).default([]),
})

export const ExpertiseFields = ListingCommonFields.extend({
  kind: z.literal('expertise'),
  topics: z.array(Tag).min(1).max(12),
  formats: z.array(ExpertiseFormat).min(1),
  delivery: Delivery,
  /** Largest audience the expert takes, for talks and trainings. */
  capacity: z.number().int().min(1).max(100_000).optional(),
})

export const VolunteerTimeFields = ListingCommonFields.extend({
  kind: z.literal('volunteer_time'),
  skills: z.array(Tag).min(1).max(12),
  monthlyHourCap: z.number().int().min(1).max(744).optional(),
})

/**
 * A listing as a client writes it (POST body). Venues must give an address (and a known district or a pin,
 * which the listings service checks against the gazetteer); onsite expertise an address.
 */
export const ListingFields = z
  .discriminatedUnion('kind', [VenueFields, ExpertiseFields, VolunteerTimeFields])
  .superRefine((l, ctx) => {
    const needsPlace = l.kind === 'venue' || (l.kind === 'expertise' && l.delivery !== 'online')
    if (needsPlace && !l.location.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['location', 'address'],
        message: `required for ${l.kind} listings held on site`,
      })
    }
    // A booking's total is the price times its hours (plus the deposit), kept in an integer column.
    const hours =
      l.pricing.model === 'fee' && l.pricing.unit === 'hour' ? Math.ceil(l.rules.maxDurationMinutes / 60) : 1
    const price = l.pricing.model === 'fee' ? l.pricing.price.amount : 0
    if (price * hours + (l.pricing.deposit?.amount ?? 0) > MAX_MONEY_AMOUNT) {
      ctx.addIssue({
        code: 'custom',
        path: ['pricing'],
        message: `the longest booking would cost more than ${MAX_MONEY_AMOUNT} minor units`,
      })
    }
  })
  .meta({ id: 'ListingFields' })
export type ListingFields = z.infer<typeof ListingFields>

/** Server-set facts of a listing; a client that sends any of them gets 400. */
export const ListingMeta = z.object({
  id: Id,
  organizationId: Id,
  status: ListingStatus,
  version: z.number().int().min(1),
  rejectionReason: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
  publishedAt: Instant.nullable(),
})

/** A listing as the API returns it. */
export const Listing = z
  .intersection(ListingMeta, z.discriminatedUnion('kind', [VenueFields, ExpertiseFields, VolunteerTimeFields]))
  .meta({ id: 'Listing' })
export type Listing = z.infer<typeof Listing>
