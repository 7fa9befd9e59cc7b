import { ActivityCategory, CreateActivityBody, TargetGroup, UpdateActivityBody } from '@commons/contracts'
import { useEffect, useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { useLoad } from '../../lib/load.ts'
import { validate } from '../../lib/validate.ts'
import { type Activity, toInstant, toLocalInput, ZONE } from './types.ts'

type PlaceKind = 'booking' | 'venue' | 'address'

/** The host's confirmed bookings still ahead, and its own venues: the places an activity can be held in. */
function usePlaces(organizationId: string) {
  return useLoad(async () => {
    const [bookings, venues] = await Promise.all([
      api.GET('/v1/bookings', {
        params: { query: { as: 'requester', organizationId, status: 'confirmed', limit: 100 } },
      }),
      api.GET('/v1/organizations/{id}/listings', {
        params: { path: { id: organizationId }, query: { kind: 'venue', status: 'published', limit: 100 } },
      }),
    ])
    return {
      bookings: (bookings.data?.items ?? []).filter((b) => Date.parse(b.end) > Date.now()),
      venues: venues.data?.items ?? [],
    }
  }, [organizationId])
}

function initialValues(activity?: Activity) {
  if (!activity)
    return {
      title: '',
      description: '',
      category: 'lecture',
      targetGroups: [] as string[],
      placeKind: '' as PlaceKind | '',
      bookingId: '',
      venueId: '',
      district: '',
      address: '',
      start: '',
      end: '',
      signUpDeadline: '',
      capacity: '30',
      volunteerPlaces: '0',
      volunteerSkills: '',
    }
  const place = activity.place
  return {
    title: activity.title,
    description: activity.description,
    category: activity.category as string,
    targetGroups: activity.targetGroups as string[],
    // Empty: the place stays as it is unless the host picks another.
    placeKind: '' as PlaceKind | '',
    bookingId: '',
    venueId: place.kind === 'venue' ? (place.listingId ?? '') : '',
    district: place.district,
    address: place.address ?? '',
    start: toLocalInput(activity.start),
    end: toLocalInput(activity.end),
    signUpDeadline: toLocalInput(activity.signUpDeadline),
    capacity: String(activity.capacity),
    volunteerPlaces: String(activity.volunteerPlaces),
    volunteerSkills: activity.volunteerSkills.join('，'),
  }
}

/**
 * Creates a draft activity, or edits one (with If-Match on the version shown, so two hosts editing at
 * once do not overwrite each other). A booked hall is offered first: that is how most activities are held.
 */
export function ActivityForm({
  organizationId,
  activity,
  onSaved,
}: {
  organizationId: string
  activity?: Activity
  onSaved: (a: Activity) => void
}) {
  const t = useT()
  const places = usePlaces(organizationId)
  const [v, setV] = useState(() => initialValues(activity))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const bookings = places.data?.bookings ?? []
  const venues = places.data?.venues ?? []
  // Until the host picks, a booked hall if there is one, else an address.
  const placeKind: PlaceKind | '' = v.placeKind || (activity ? '' : bookings.length ? 'booking' : 'address')
  const bookingId = v.bookingId || bookings[0]?.id || ''
  // A new activity in a booked hall takes the booking's time until the host sets another.
  const firstBooking = bookings[0]
  useEffect(() => {
    if (!activity && firstBooking)
      setV((s) =>
        s.start ? s : { ...s, start: toLocalInput(firstBooking.start), end: toLocalInput(firstBooking.end) },
      )
  }, [firstBooking?.id])
  const set = (name: keyof typeof v) => (e: Event) =>
    setV((s) => ({ ...s, [name]: (e.target as HTMLInputElement).value }))
  const chooseBooking = (id: string) => {
    const b = bookings.find((x) => x.id === id)
    // The activity takes the booking's time unless the host already set one.
    setV((s) => ({
      ...s,
      placeKind: 'booking',
      bookingId: id,
      ...(b && !s.start ? { start: toLocalInput(b.start), end: toLocalInput(b.end) } : {}),
    }))
  }
  const placeValue = () =>
    placeKind === 'booking'
      ? { kind: 'booking', bookingId }
      : placeKind === 'venue'
        ? { kind: 'venue', venueId: v.venueId || venues[0]?.id || '' }
        : { kind: 'address', district: v.district, address: v.address }
  const submit = async (event: Event) => {
    event.preventDefault()
    const body = {
      organizationId,
      title: v.title,
      description: v.description,
      category: v.category,
      targetGroups: v.targetGroups,
      start: toInstant(v.start),
      end: toInstant(v.end),
      signUpDeadline: toInstant(v.signUpDeadline || v.start),
      place: placeValue(),
      capacity: Number(v.capacity),
      volunteerPlaces: Number(v.volunteerPlaces || 0),
      volunteerSkills: v.volunteerSkills
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
    }
    if (activity) {
      const { organizationId: _org, place, ...rest } = body
      const checked = validate(UpdateActivityBody, placeKind ? { ...rest, place } : rest)
      if (checked.errors) return setErrors(checked.errors)
      return send(() =>
        api.PATCH('/v1/activities/{id}', {
          params: { path: { id: activity.id } },
          headers: { 'if-match': `"${activity.version}"` },
          body: checked.data,
        }),
      )
    }
    const checked = validate(CreateActivityBody, body)
    if (checked.errors) return setErrors(checked.errors)
    return send(() => api.POST('/v1/activities', { body: checked.data }))
  }
  const send = async (call: () => Promise<{ data?: Activity; error?: unknown }>) => {
    setErrors({})
    if (busy) return
    setBusy(true)
    const res = await call()
    setBusy(false)
    if (!res.data) {
      setProblem(problemOf(res))
      setErrors(fieldErrorsOf(problemOf(res)))
      return
    }
    setProblem(undefined)
    onSaved(res.data)
  }
  const toggleGroup = (g: string, on: boolean) =>
    setV((s) => ({ ...s, targetGroups: on ? [...s.targetGroups, g] : s.targetGroups.filter((x) => x !== g) }))
  return (
    <form class="form activity-form" onSubmit={submit} noValidate>
      <Field id="a-title" label={t('form.title')} error={errors.title}>
        {(a) => <input {...a} value={v.title} onInput={set('title')} />}
      </Field>
      <Field id="a-description" label={t('form.description')} error={errors.description}>
        {(a) => <textarea {...a} value={v.description} onInput={set('description')} />}
      </Field>
      <Field id="a-category" label={t('activityForm.category')} error={errors.category}>
        {(a) => (
          <select {...a} value={v.category} onChange={set('category')}>
            {ActivityCategory.options.map((c) => (
              <option key={c} value={c}>
                {tEnum('activityCategory', c)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset class={`checks${errors.targetGroups ? ' has-error' : ''}`}>
        <legend>{t('activities.targetGroup')}</legend>
        {TargetGroup.options.map((g) => (
          <label key={g}>
            <input
              type="checkbox"
              checked={v.targetGroups.includes(g)}
              onChange={(e) => toggleGroup(g, (e.target as HTMLInputElement).checked)}
            />
            {tEnum('targetGroup', g)}
          </label>
        ))}
        {errors.targetGroups && <p class="field-error">{errors.targetGroups}</p>}
      </fieldset>
      <fieldset class="place-choice">
        <legend>{t('activities.where')}</legend>
        {activity && (
          <p class="hint">{t('activityForm.placeNow', { place: activity.place.title ?? activity.place.district })}</p>
        )}
        <div class="choice-row" role="radiogroup" aria-label={t('activityForm.placeKind')}>
          {(['booking', 'venue', 'address'] as const).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="a-place-kind"
                checked={placeKind === k}
                disabled={(k === 'booking' && !bookings.length) || (k === 'venue' && !venues.length)}
                onChange={() => setV((s) => ({ ...s, placeKind: k }))}
              />
              {tEnum('activityForm.place', k)}
            </label>
          ))}
        </div>
        {placeKind === 'booking' && (
          <Field id="a-booking" label={t('activityForm.booking')} error={errors['place.bookingId'] ?? errors.place}>
            {(a) => (
              <select {...a} value={bookingId} onChange={(e) => chooseBooking((e.target as HTMLSelectElement).value)}>
                {bookings.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.listingTitle} · {formatDateTime(b.start, ZONE)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {placeKind === 'venue' && (
          <Field id="a-venue" label={t('activityForm.venue')} error={errors['place.venueId'] ?? errors.place}>
            {(a) => (
              <select {...a} value={v.venueId || venues[0]?.id} onChange={set('venueId')}>
                {venues.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {placeKind === 'address' && (
          <div class="row">
            <Field id="a-district" label={t('orgs.district')} error={errors['place.district']}>
              {(a) => <input {...a} value={v.district} onInput={set('district')} />}
            </Field>
            <Field id="a-address" label={t('activityForm.address')} error={errors['place.address']}>
              {(a) => <input {...a} value={v.address} onInput={set('address')} />}
            </Field>
          </div>
        )}
      </fieldset>
      <div class="row">
        <Field id="a-start" label={t('needs.from')} error={errors.start}>
          {(a) => <input {...a} type="datetime-local" value={v.start} onInput={set('start')} />}
        </Field>
        <Field id="a-end" label={t('needs.to')} error={errors.end}>
          {(a) => <input {...a} type="datetime-local" value={v.end} onInput={set('end')} />}
        </Field>
      </div>
      <Field
        id="a-deadline"
        label={t('activities.deadline')}
        hint={t('activityForm.deadlineHint')}
        error={errors.signUpDeadline}
      >
        {(a) => <input {...a} type="datetime-local" value={v.signUpDeadline} onInput={set('signUpDeadline')} />}
      </Field>
      <div class="row">
        <Field id="a-capacity" label={t('activityForm.capacity')} error={errors.capacity}>
          {(a) => <input {...a} type="number" min={1} value={v.capacity} onInput={set('capacity')} />}
        </Field>
        <Field id="a-volunteers" label={t('activityForm.volunteerPlaces')} error={errors.volunteerPlaces}>
          {(a) => <input {...a} type="number" min={0} value={v.volunteerPlaces} onInput={set('volunteerPlaces')} />}
        </Field>
      </div>
      <Field
        id="a-skills"
        label={t('activityForm.skills')}
        hint={t('activityForm.skillsHint')}
        error={errors.volunteerSkills}
      >
        {(a) => <input {...a} value={v.volunteerSkills} onInput={set('volunteerSkills')} />}
      </Field>
      {problem && !problem.errors && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : activity ? t('activityForm.save') : t('activityForm.create')}
      </button>
    </form>
  )
}
