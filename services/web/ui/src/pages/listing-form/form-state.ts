import type { Schema } from '@commons/client'
import {
  type ExceptionRow,
  exceptionRow,
  type Range,
  WEEKDAYS,
  type WeeklyHours,
} from '../../components/hours-editor.tsx'

export type Listing = Schema<'Listing'>
type Kind = Listing['kind']

/** The form's state: what the inputs hold, as text; `toBody` turns it into the API's shape. */
export interface FormState {
  kind: Kind
  title: string
  description: string
  tags: string
  photos: Array<{ id: string; alt: string }>
  city: string
  district: string
  districtCode: string
  address: string
  lat: string
  lng: string
  priceModel: 'free' | 'fee'
  priceUnit: 'hour' | 'booking'
  priceYuan: string
  depositYuan: string
  mode: 'instant' | 'request'
  slotMinutes: string
  minDurationMinutes: string
  maxDurationMinutes: string
  minNoticeHours: string
  maxAdvanceDays: string
  bufferMinutes: string
  cancellationPolicy: string
  weekly: WeeklyHours
  exceptions: ExceptionRow[]
  capacity: string
  areaSqm: string
  amenities: string[]
  topics: string
  formats: string[]
  delivery: string
  skills: string
  monthlyHourCap: string
}

const list = (text: string) =>
  text
    .split(/[,，、\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
const num = (text: string) => (text.trim() === '' ? undefined : Number(text))
const fen = (yuan: string) => (yuan.trim() === '' ? undefined : Math.round(Number(yuan) * 100))

export function emptyForm(): FormState {
  const weekly = {} as WeeklyHours
  for (const d of WEEKDAYS) weekly[d] = ['sat', 'sun'].includes(d) ? [] : [{ start: '09:00', end: '18:00' }]
  return {
    kind: 'venue',
    title: '',
    description: '',
    tags: '',
    photos: [],
    city: '',
    district: '',
    districtCode: '',
    address: '',
    lat: '',
    lng: '',
    priceModel: 'free',
    priceUnit: 'hour',
    priceYuan: '',
    depositYuan: '',
    mode: 'request',
    slotMinutes: '60',
    minDurationMinutes: '60',
    maxDurationMinutes: '240',
    minNoticeHours: '24',
    maxAdvanceDays: '90',
    bufferMinutes: '0',
    cancellationPolicy: 'flexible',
    weekly,
    exceptions: [],
    capacity: '',
    areaSqm: '',
    amenities: [],
    topics: '',
    formats: [],
    delivery: 'onsite',
    skills: '',
    monthlyHourCap: '',
  }
}

export function fromListing(l: Listing): FormState {
  const form = emptyForm()
  const weekly = {} as WeeklyHours
  for (const d of WEEKDAYS) weekly[d] = (l.availability.weekly[d] ?? []).map((h) => ({ start: h.start, end: h.end }))
  const exceptions = l.availability.exceptions.map((e) =>
    exceptionRow({ date: e.date, closed: e.closed, hours: e.hours.map((h) => ({ ...h })), note: e.note ?? '' }),
  )
  const p = l.pricing
  return {
    ...form,
    kind: l.kind,
    title: l.title,
    description: l.description,
    tags: l.tags.join('，'),
    photos: l.photos.map((p) => ({ id: p.id, alt: p.alt })),
    city: l.location.city,
    district: l.location.district,
    districtCode: l.location.districtCode ?? '',
    address: l.location.address ?? '',
    lat: l.location.lat?.toString() ?? '',
    lng: l.location.lng?.toString() ?? '',
    priceModel: p.model,
    priceUnit: p.model === 'fee' ? p.unit : 'hour',
    priceYuan: p.model === 'fee' ? String(p.price.amount / 100) : '',
    depositYuan: p.deposit ? String(p.deposit.amount / 100) : '',
    mode: l.rules.mode,
    slotMinutes: String(l.rules.slotMinutes),
    minDurationMinutes: String(l.rules.minDurationMinutes),
    maxDurationMinutes: String(l.rules.maxDurationMinutes),
    minNoticeHours: String(l.rules.minNoticeHours),
    maxAdvanceDays: String(l.rules.maxAdvanceDays),
    bufferMinutes: String(l.rules.bufferMinutes),
    cancellationPolicy: l.rules.cancellationPolicy,
    weekly,
    exceptions,
    capacity: 'capacity' in l && l.capacity ? String(l.capacity) : '',
    areaSqm: l.kind === 'venue' && l.areaSqm ? String(l.areaSqm) : '',
    amenities: l.kind === 'venue' ? l.amenities : [],
    topics: l.kind === 'expertise' ? l.topics.join('，') : '',
    formats: l.kind === 'expertise' ? l.formats : [],
    delivery: l.kind === 'expertise' ? l.delivery : 'onsite',
    skills: l.kind === 'volunteer_time' ? l.skills.join('，') : '',
    monthlyHourCap: l.kind === 'volunteer_time' && l.monthlyHourCap ? String(l.monthlyHourCap) : '',
  }
}

/** The API body. Optional fields left empty are omitted when creating and set to null when editing. */
export function toBody(f: FormState, editing: boolean): Record<string, unknown> {
  const optional = (value: unknown) => (value === undefined && editing ? null : value)
  const weekly: Partial<WeeklyHours> = {}
  for (const d of WEEKDAYS) if (f.weekly[d].length > 0) weekly[d] = f.weekly[d]
  // Kept in the order the rows were written, so an error's index (exceptions.2.date) points at the right row.
  const exceptions = f.exceptions.map((e) => ({
    date: e.date,
    closed: e.closed,
    hours: e.closed ? ([] as Range[]) : e.hours,
    ...(e.note.trim() ? { note: e.note.trim() } : {}),
  }))
  const deposit = fen(f.depositYuan)
  const money = (amount: number | undefined) => (amount === undefined ? undefined : { amount, currency: 'CNY' })
  const pricing =
    f.priceModel === 'free'
      ? { model: 'free', ...(deposit ? { deposit: money(deposit) } : {}) }
      : {
          model: 'fee',
          unit: f.priceUnit,
          price: money(fen(f.priceYuan) ?? 0),
          ...(deposit ? { deposit: money(deposit) } : {}),
        }
  const location: Record<string, unknown> = { city: f.city, district: f.district }
  if (f.districtCode) location.districtCode = f.districtCode
  if (f.address.trim()) location.address = f.address
  // A pin set before (or by a map) is kept; the form never asks for coordinates.
  if (num(f.lat) !== undefined) location.lat = num(f.lat)
  if (num(f.lng) !== undefined) location.lng = num(f.lng)
  const body: Record<string, unknown> = {
    kind: f.kind,
    title: f.title,
    description: f.description,
    tags: list(f.tags),
    photos: f.photos.map((p) => ({ id: p.id, alt: p.alt.trim() })),
    location,
    pricing,
    rules: {
      mode: f.mode,
      slotMinutes: num(f.slotMinutes),
      minDurationMinutes: num(f.minDurationMinutes),
      maxDurationMinutes: num(f.maxDurationMinutes),
      minNoticeHours: num(f.minNoticeHours),
      maxAdvanceDays: num(f.maxAdvanceDays),
      bufferMinutes: num(f.bufferMinutes),
      cancellationPolicy: f.cancellationPolicy,
    },
    availability: { timezone: 'Asia/Shanghai', weekly, exceptions },
  }
  if (f.kind === 'venue') {
    body.capacity = num(f.capacity)
    body.areaSqm = optional(num(f.areaSqm))
    body.amenities = f.amenities
  } else if (f.kind === 'expertise') {
    body.topics = list(f.topics)
    body.formats = f.formats
    body.delivery = f.delivery
    body.capacity = optional(num(f.capacity))
  } else {
    body.skills = list(f.skills)
    body.monthlyHourCap = optional(num(f.monthlyHourCap))
  }
  for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key]
  return body
}

/** Today's date where listings keep their hours (Asia/Shanghai), as YYYY-MM-DD. */
export const shanghaiToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
