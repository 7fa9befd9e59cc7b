import {
  Amenity,
  CancellationPolicy,
  CreateListingBody,
  Delivery,
  ExpertiseFormat,
  ListingFields,
  UpdateListingBody,
} from '@commons/contracts'
import { useRef, useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { ExceptionsEditor, WeeklyEditor } from '../../components/hours-editor.tsx'
import { MapPin } from '../../components/map-pin.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { PhotoEditor } from '../../components/photo-editor.tsx'
import { PlacePicker } from '../../components/place-picker.tsx'
import { api, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { navigate } from '../../lib/router.tsx'
import { validate } from '../../lib/validate.ts'
import { ErrorSummary } from './error-summary.tsx'
import { emptyForm, type FormState, fromListing, type Listing, shanghaiToday, toBody } from './form-state.ts'

export function ListingForm({ orgId, listing }: { orgId: string; listing?: Listing }) {
  const t = useT()
  const editing = listing !== undefined
  const [f, setF] = useState<FormState>(() => (listing ? fromListing(listing) : emptyForm()))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
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
      {Object.keys(errors).length > 0 && <ErrorSummary errors={errors} labels={labels.current} />}
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
        <PhotoEditor
          organizationId={orgId}
          photos={f.photos}
          onChange={(photos) => setF((v) => ({ ...v, photos }))}
          error={err('photos') ?? Object.entries(errors).find(([k]) => k.startsWith('photos.'))?.[1]}
        />
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
        <PlacePicker
          idPrefix="l-location"
          value={f}
          error={err('location.district') ?? err('location.city') ?? err('location.districtCode')}
          onChange={(place) => {
            setF((v) => {
              // A pin from another district is almost surely wrong now; one set before codes existed stays.
              const moved = v.districtCode !== '' && v.districtCode !== place?.districtCode
              return {
                ...v,
                districtCode: place?.districtCode ?? '',
                city: place?.city ?? '',
                district: place?.district ?? '',
                ...(moved ? { lat: '', lng: '' } : {}),
              }
            })
            setErrors(({ 'location.district': _d, 'location.city': _c, ...rest }) => rest)
          }}
        />
        {text('location.address', t('form.address'), f.address, set('address'))}
        <MapPin
          districtCode={f.districtCode}
          pin={f.lat && f.lng ? { lat: Number(f.lat), lng: Number(f.lng) } : undefined}
          onChange={(pin) =>
            setF((v) => ({ ...v, lat: pin ? pin.lat.toFixed(6) : '', lng: pin ? pin.lng.toFixed(6) : '' }))
          }
        />
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
