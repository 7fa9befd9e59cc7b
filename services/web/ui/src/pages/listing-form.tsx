import type { Schema } from '@commons/client'
import {
  Amenity,
  CancellationPolicy,
  CreateListingBody,
  Delivery,
  ExpertiseFormat,
  ListingFields,
  UpdateListingBody,
} from '@commons/contracts'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, fieldErrorsOf, type Problem, problemOf, problemText } from '../lib/api.ts'
import { type MessageKey, t, tEnum, useT } from '../lib/i18n.ts'
import { RequireAuth } from '../lib/require-auth.tsx'
import { navigate } from '../lib/router.tsx'
import { ErrorNote, Field, Loading, must, PageTitle, useLoad } from '../lib/ui.tsx'
import { validate } from '../lib/validate.ts'
import {
  type ExceptionRow,
  ExceptionsEditor,
  exceptionRow,
  type Range,
  WEEKDAYS,
  WeeklyEditor,
  type WeeklyHours,
} from './hours-editor.tsx'

type Listing = Schema<'Listing'>
type Kind = Listing['kind']

/** The form's state: what the inputs hold, as text; `toBody` turns it into the API's shape. */
interface FormState {
  kind: Kind
  title: string
  description: string
  tags: string
  photos: string
  city: string
  district: string
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

function emptyForm(): FormState {
  const weekly = {} as WeeklyHours
  for (const d of WEEKDAYS) weekly[d] = ['sat', 'sun'].includes(d) ? [] : [{ start: '09:00', end: '18:00' }]
  return {
    kind: 'venue',
    title: '',
    description: '',
    tags: '',
    photos: '',
    city: '上海',
    district: '',
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

function fromListing(l: Listing): FormState {
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
    photos: l.photos.join('\n'),
    city: l.location.city,
    district: l.location.district,
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
function toBody(f: FormState, editing: boolean): Record<string, unknown> {
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
  if (f.address.trim()) location.address = f.address
  if (num(f.lat) !== undefined) location.lat = num(f.lat)
  if (num(f.lng) !== undefined) location.lng = num(f.lng)
  const body: Record<string, unknown> = {
    kind: f.kind,
    title: f.title,
    description: f.description,
    tags: list(f.tags),
    photos: list(f.photos.replace(/\s+/g, '\n')),
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
const shanghaiToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

/** Where an error's link in the summary leads: the input itself, or the editor holding it. */
function anchorOf(path: string): string {
  if (path.startsWith('availability.weekly')) return '#l-availability-weekly'
  const exception = /^availability\.exceptions\.(\d+)\.(hours|closed)/.exec(path)
  if (exception) return `#l-availability-exceptions-${exception[1]}-closed`
  return `#l-${path.replaceAll('.', '-')}`
}

/** Labels of the fields not drawn by `text()` (selects, checkbox groups, text areas). */
function fieldLabel(path: string): string {
  const known: Record<string, MessageKey> = {
    description: 'form.description',
    photos: 'form.photos',
    amenities: 'listing.amenities',
    formats: 'listing.formats',
    delivery: 'listing.delivery',
    pricing: 'listing.price',
    rules: 'form.rules',
    availability: 'form.weekly',
    'availability.weekly': 'form.weekly',
    'availability.exceptions': 'hours.exceptions',
    location: 'listing.location',
  }
  const key = known[path] ?? known[path.split('.').slice(0, 2).join('.')] ?? known[path.split('.')[0] ?? '']
  return key ? t(key) : path
}

function ListingForm({ orgId, listing }: { orgId: string; listing?: Listing }) {
  const t = useT()
  const editing = listing !== undefined
  const [f, setF] = useState<FormState>(() => (listing ? fromListing(listing) : emptyForm()))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const summary = useRef<HTMLDivElement>(null)
  const set =
    <K extends keyof FormState>(name: K) =>
    (e: Event) =>
      setF((v) => ({ ...v, [name]: (e.target as HTMLInputElement).value }))
  const toggle = (name: 'amenities' | 'formats', value: string) =>
    setF((v) => ({ ...v, [name]: v[name].includes(value) ? v[name].filter((x) => x !== value) : [...v[name], value] }))
  const err = (path: string) => errors[path]
  const labels = useRef<Record<string, string>>({})
  const text = (path: string, label: string, value: string, onInput: (e: Event) => void, props: object = {}) => {
    labels.current[path] = label
    return (
      <Field id={`l-${path.replaceAll('.', '-')}`} label={label} error={err(path)}>
        {(a) => (
          <input
            {...a}
            {...props}
            value={value}
            onInput={(e) => {
              onInput(e)
              // A corrected field stops showing its error; the rest stay until the next attempt.
              if (errors[path]) setErrors(({ [path]: _, ...rest }) => rest)
            }}
          />
        )}
      </Field>
    )
  }

  useEffect(() => {
    if (Object.keys(errors).length > 0) summary.current?.focus()
  }, [errors])

  const submit = async (event: Event) => {
    event.preventDefault()
    setProblem(undefined)
    const body = toBody(f, editing)
    // The API's own schemas: the whole listing must be valid, and an edit must also be a valid patch.
    const checked = validate(editing ? ListingFields : CreateListingBody, toBody(f, false))
    const patch = editing ? validate(UpdateListingBody, body) : undefined
    const found = { ...(checked.errors ?? {}), ...(patch?.errors ?? {}) }
    if (Object.keys(found).length > 0) return setErrors(found)
    setErrors({})
    setBusy(true)
    const res = editing
      ? await api.PATCH('/v1/listings/{id}', {
          params: { path: { id: listing.id } },
          headers: { 'if-match': `"${listing.version}"` },
          body: body as never,
        })
      : await api.POST('/v1/organizations/{id}/listings', { params: { path: { id: orgId } }, body: body as never })
    setBusy(false)
    if (res.data) {
      navigate(`/orgs/${orgId}`)
      return
    }
    const p = problemOf(res)
    setProblem(p)
    const fields = fieldErrorsOf(p)
    if (Object.keys(fields).length > 0) setErrors(fields)
  }

  const title = editing ? t('form.editTitle') : t('form.newTitle')
  return (
    <form class="listing-form" onSubmit={submit} noValidate>
      <PageTitle title={title}>{title}</PageTitle>
      {Object.keys(errors).length > 0 && (
        <div class="error-summary" ref={summary} tabIndex={-1} role="alert">
          <p>{t('form.fixErrors')}</p>
          <ul>
            {Object.entries(errors).map(([path, message]) => (
              <li key={path}>
                <a href={anchorOf(path)}>{labels.current[path] ?? fieldLabel(path)}</a>：{message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}

      <fieldset class="card">
        <legend>{t('form.kind')}</legend>
        <div class="choice-row">
          {(['venue', 'expertise', 'volunteer_time'] as const).map((k) => (
            <label key={k} class="choice">
              <input
                type="radio"
                name="kind"
                value={k}
                checked={f.kind === k}
                disabled={editing}
                onChange={() => setF((v) => ({ ...v, kind: k }))}
              />
              {tEnum('kind', k)}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="card">
        <legend>{t('form.basics')}</legend>
        {text('title', t('form.title'), f.title, set('title'))}
        <Field id="l-description" label={t('form.description')} error={err('description')}>
          {(a) => <textarea {...a} rows={5} value={f.description} onInput={set('description')} />}
        </Field>
        {text('tags', t('form.tags'), f.tags, set('tags'), { placeholder: t('form.listHint') })}
        <Field id="l-photos" label={t('form.photos')} hint={t('form.photosHint')} error={err('photos')}>
          {(a) => <textarea {...a} rows={2} value={f.photos} onInput={set('photos')} />}
        </Field>
      </fieldset>

      {f.kind === 'venue' && (
        <fieldset class="card">
          <legend>{t('kind.venue')}</legend>
          <div class="row">
            {text('capacity', t('form.capacity'), f.capacity, set('capacity'), {
              type: 'number',
              min: 1,
              inputMode: 'numeric',
            })}
            {text('areaSqm', t('form.area'), f.areaSqm, set('areaSqm'), { type: 'number', min: 1 })}
          </div>
          <fieldset class="checks">
            <legend>{t('listing.amenities')}</legend>
            {Amenity.options.map((a) => (
              <label key={a} class="choice">
                <input type="checkbox" checked={f.amenities.includes(a)} onChange={() => toggle('amenities', a)} />
                {tEnum('amenity', a)}
              </label>
            ))}
          </fieldset>
        </fieldset>
      )}
      {f.kind === 'expertise' && (
        <fieldset class="card">
          <legend>{t('kind.expertise')}</legend>
          {text('topics', t('listing.topics'), f.topics, set('topics'), { placeholder: t('form.listHint') })}
          <fieldset class="checks" aria-describedby={err('formats') ? 'l-formats-error' : undefined}>
            <legend>{t('listing.formats')}</legend>
            {ExpertiseFormat.options.map((x) => (
              <label key={x} class="choice">
                <input type="checkbox" checked={f.formats.includes(x)} onChange={() => toggle('formats', x)} />
                {tEnum('format', x)}
              </label>
            ))}
            {err('formats') && (
              <p class="field-error" id="l-formats-error">
                {err('formats')}
              </p>
            )}
          </fieldset>
          <Field id="l-delivery" label={t('listing.delivery')} error={err('delivery')}>
            {(a) => (
              <select {...a} value={f.delivery} onChange={set('delivery')}>
                {Delivery.options.map((d) => (
                  <option key={d} value={d}>
                    {tEnum('delivery', d)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('capacity', t('form.capacity'), f.capacity, set('capacity'), { type: 'number', min: 1 })}
        </fieldset>
      )}
      {f.kind === 'volunteer_time' && (
        <fieldset class="card">
          <legend>{t('kind.volunteer_time')}</legend>
          {text('skills', t('listing.skills'), f.skills, set('skills'), { placeholder: t('form.listHint') })}
          {text('monthlyHourCap', t('listing.hourCap'), f.monthlyHourCap, set('monthlyHourCap'), {
            type: 'number',
            min: 1,
          })}
        </fieldset>
      )}

      <fieldset class="card">
        <legend>{t('listing.location')}</legend>
        <div class="row">
          {text('location.city', t('orgs.city'), f.city, set('city'))}
          {text('location.district', t('orgs.district'), f.district, set('district'))}
        </div>
        {text('location.address', t('form.address'), f.address, set('address'))}
        <div class="row">
          {text('location.lat', t('form.lat'), f.lat, set('lat'), { inputMode: 'decimal' })}
          {text('location.lng', t('form.lng'), f.lng, set('lng'), { inputMode: 'decimal' })}
        </div>
      </fieldset>

      <fieldset class="card">
        <legend>{t('listing.price')}</legend>
        <div class="choice-row">
          {(['free', 'fee'] as const).map((m) => (
            <label key={m} class="choice">
              <input
                type="radio"
                name="priceModel"
                checked={f.priceModel === m}
                onChange={() => setF((v) => ({ ...v, priceModel: m }))}
              />
              {m === 'free' ? t('price.free') : t('form.fee')}
            </label>
          ))}
        </div>
        {f.priceModel === 'fee' && (
          <div class="row">
            {text('pricing.price.amount', t('form.priceYuan'), f.priceYuan, set('priceYuan'), {
              type: 'number',
              min: 0,
              step: '0.01',
            })}
            <Field id="l-pricing-unit" label={t('form.unit')}>
              {(a) => (
                <select {...a} value={f.priceUnit} onChange={set('priceUnit')}>
                  <option value="hour">{t('price.perHour')}</option>
                  <option value="booking">{t('price.perBooking')}</option>
                </select>
              )}
            </Field>
          </div>
        )}
        {text('pricing.deposit.amount', t('form.depositYuan'), f.depositYuan, set('depositYuan'), {
          type: 'number',
          min: 0,
          step: '0.01',
        })}
      </fieldset>

      <fieldset class="card">
        <legend>{t('form.rules')}</legend>
        <div class="row">
          <Field id="l-rules-mode" label={t('listing.mode')}>
            {(a) => (
              <select {...a} value={f.mode} onChange={set('mode')}>
                <option value="request">{t('mode.request')}</option>
                <option value="instant">{t('mode.instant')}</option>
              </select>
            )}
          </Field>
          <Field id="l-rules-cancellationPolicy" label={t('listing.cancellation')}>
            {(a) => (
              <select {...a} value={f.cancellationPolicy} onChange={set('cancellationPolicy')}>
                {CancellationPolicy.options.map((p) => (
                  <option key={p} value={p}>
                    {tEnum('policy', p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div class="row">
          {text('rules.slotMinutes', t('form.slotMinutes'), f.slotMinutes, set('slotMinutes'), {
            type: 'number',
            min: 15,
            step: 15,
          })}
          {text('rules.minDurationMinutes', t('form.minDuration'), f.minDurationMinutes, set('minDurationMinutes'), {
            type: 'number',
            min: 15,
            step: 15,
          })}
          {text('rules.maxDurationMinutes', t('form.maxDuration'), f.maxDurationMinutes, set('maxDurationMinutes'), {
            type: 'number',
            min: 15,
            step: 15,
          })}
        </div>
        <div class="row">
          {text('rules.minNoticeHours', t('form.minNotice'), f.minNoticeHours, set('minNoticeHours'), {
            type: 'number',
            min: 0,
          })}
          {text('rules.maxAdvanceDays', t('form.maxAdvance'), f.maxAdvanceDays, set('maxAdvanceDays'), {
            type: 'number',
            min: 1,
          })}
          {text('rules.bufferMinutes', t('form.buffer'), f.bufferMinutes, set('bufferMinutes'), {
            type: 'number',
            min: 0,
          })}
        </div>
      </fieldset>

      <WeeklyEditor weekly={f.weekly} onChange={(weekly) => setF((v) => ({ ...v, weekly }))} errors={errors} />
      <ExceptionsEditor
        exceptions={f.exceptions}
        onChange={(exceptions) => setF((v) => ({ ...v, exceptions }))}
        errors={errors}
        today={shanghaiToday()}
      />

      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
          {busy ? t('common.sending') : editing ? t('form.save') : t('form.create')}
        </button>
        <button type="button" class="btn btn-quiet" onClick={() => history.back()}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

function EditListing({ id }: { id: string }) {
  const t = useT()
  const listing = useLoad(async () => must(await api.GET('/v1/listings/{id}', { params: { path: { id } } })), [id])
  if (listing.loading) return <Loading />
  if (!listing.data) return <ErrorNote>{t('listing.notFound')}</ErrorNote>
  return <ListingForm orgId={listing.data.organizationId} listing={listing.data} />
}

export default function ListingFormPage({ id, orgId }: { id?: string; orgId?: string }) {
  return <RequireAuth>{id ? <EditListing id={id} /> : <ListingForm orgId={orgId!} />}</RequireAuth>
}
