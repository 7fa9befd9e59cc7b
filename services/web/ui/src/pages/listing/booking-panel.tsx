import type { Schema } from '@commons/client'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, auth, fieldErrorsOf, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { formatMoney, type MessageKey, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { signInHref } from '../../lib/return-to.ts'
import { Link, navigate, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

import { pickerDays, SlotPicker } from './slot-picker.tsx'
import { DAY, type Listing, type Slot } from './types.ts'

function durationsFrom(slots: Slot[], index: number, listing: Listing): number[] {
  const { slotMinutes, minDurationMinutes, maxDurationMinutes } = listing.rules
  const out: number[] = []
  let minutes = 0
  for (let i = index; i < slots.length; i++) {
    if (i > index && slots[i]!.start !== slots[i - 1]!.end) break
    minutes += slotMinutes
    if (minutes > maxDurationMinutes) break
    if (minutes >= minDurationMinutes) out.push(minutes)
  }
  return out
}

/** The availability API answers at most 92 days per call; a longer horizon is read in such pieces. */
const WINDOW_LIMIT_DAYS = 92
/** Past a year the strip stops: nobody scrolls further, and the calls would add up. */
const HORIZON_CAP_DAYS = 366

/** Free and taken slots over the whole horizon, read in pieces the API accepts, in order. */
async function loadHorizon(listingId: string, from: Date, days: number) {
  const pieces = []
  for (let offset = 0; offset < days; offset += WINDOW_LIMIT_DAYS) {
    const start = new Date(from.getTime() + offset * DAY)
    const end = new Date(from.getTime() + Math.min(days, offset + WINDOW_LIMIT_DAYS) * DAY)
    pieces.push(
      api
        .GET('/v1/availability/{listingId}', {
          params: {
            path: { listingId },
            query: { from: start.toISOString(), to: end.toISOString(), include: 'taken' },
          },
        })
        .then(must),
    )
  }
  const answers = await Promise.all(pieces)
  return {
    timezone: answers[0]?.timezone ?? 'Asia/Shanghai',
    slots: answers.flatMap((a) => a.slots),
    taken: answers.flatMap((a) => a.taken ?? []),
  }
}

export function BookingPanel({ listing }: { listing: Listing }) {
  const t = useT()
  const me = useStore(auth)
  const from = useMemo(() => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000), [])
  const horizonDays = Math.min(Math.max(1, listing.rules.maxAdvanceDays), HORIZON_CAP_DAYS)
  const slots = useLoad(() => loadHorizon(listing.id, from, horizonDays), [listing.id, horizonDays])
  const [day, setDay] = useState<string | undefined>()
  const [chosen, setChosen] = useState<number | undefined>()
  const [minutes, setMinutes] = useState<number>(listing.rules.minDurationMinutes)
  const [orgId, setOrgId] = useState('')
  const [attendees, setAttendees] = useState('10')
  const [purpose, setPurpose] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [booked, setBooked] = useState<Schema<'Booking'> | undefined>()
  // The slot chosen before signing in comes back in the address (?slot=&minutes=), and is chosen again.
  const query = useQuery()
  const wantedSlot = query.get('slot')
  const wantedMinutes = Number(query.get('minutes'))
  useEffect(() => {
    if (booked) navigate(`/bookings/${booked.id}/booked`)
  }, [booked])
  // One key per intended booking: a double click, or a retry after a lost answer, books once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [chosen, minutes, orgId])
  const zone = slots.data?.timezone ?? listing.availability.timezone
  const all = slots.data?.slots ?? []
  const days = useMemo(
    () => pickerDays(from, horizonDays, all, slots.data?.taken ?? [], zone),
    [slots.data, from, horizonDays, zone],
  )
  useEffect(() => {
    if (!wantedSlot || !slots.data || chosen !== undefined) return
    const index = slots.data.slots.findIndex((s) => s.start === wantedSlot)
    if (index < 0) return
    // The strip opens on the slot's own day, which need not be the first day with a free slot.
    const slotDay = days.find((d) => d.free.includes(index))?.date
    if (slotDay) setDay(slotDay)
    setChosen(index)
    if (wantedMinutes > 0) setMinutes(wantedMinutes)
  }, [slots.data, wantedSlot])

  if (slots.loading && !slots.data) return <Loading label={t('book.loadingSlots')} />
  if (slots.error !== undefined || !slots.data) return <ErrorNote>{t('book.slotsError')}</ErrorNote>
  if (all.length === 0) return <Empty title={t('book.noSlotsHorizon', { n: horizonDays })} />
  // Until a day is picked, the first one with a free slot.
  const shownDay = day ?? days.find((d) => d.free.length > 0)?.date ?? days[0]?.date ?? ''

  const durations = chosen === undefined ? [] : durationsFrom(all, chosen, listing)
  const start = chosen === undefined ? undefined : all[chosen]!.start
  const end =
    start && durations.includes(minutes) ? new Date(Date.parse(start) + minutes * 60_000).toISOString() : undefined
  const p = listing.pricing
  const cost =
    p.model === 'fee' ? (p.unit === 'hour' ? Math.round((p.price.amount * minutes) / 60) : p.price.amount) : 0

  const book = async (event: Event) => {
    event.preventDefault()
    if (busy || !start || !end) return
    setBusy(true)
    setProblem(undefined)
    const res = await api.POST('/v1/bookings', {
      params: { header: { 'idempotency-key': idempotencyKey } },
      body: {
        listingId: listing.id,
        organizationId: orgId || me.memberships[0]?.organizationId || '',
        start,
        end,
        attendees: Number(attendees),
        purpose,
      },
    })
    setBusy(false)
    if (res.data) return setBooked(res.data)
    const p = problemOf(res)
    setProblem(p)
    // Someone else took the slot meanwhile: show what is still free.
    if (p?.code === 'slot_unavailable') {
      setChosen(undefined)
      slots.reload()
    }
  }

  if (booked) {
    return (
      <div class="notice notice-ok" role="status">
        <p>{t('book.done', { status: tEnum('bookingStatus', booked.status) })}</p>
      </div>
    )
  }

  return (
    <form class="booking" onSubmit={book}>
      <SlotPicker
        listing={listing}
        days={days}
        free={all}
        zone={zone}
        day={shownDay}
        onDay={(date) => {
          setDay(date)
          setChosen(undefined)
        }}
        chosen={chosen}
        onChoose={(index) => {
          setChosen(index)
          setMinutes(listing.rules.minDurationMinutes)
        }}
      />
      {problem?.code === 'slot_unavailable' && <ErrorNote>{t('book.slotTaken')}</ErrorNote>}
      {chosen !== undefined && durations.length === 0 && <ErrorNote>{t('book.tooShort')}</ErrorNote>}
      {chosen !== undefined && durations.length > 0 && (
        <>
          <Field id="b-duration" label={t('book.duration')}>
            {(a) => (
              <select
                {...a}
                value={minutes}
                onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))}
              >
                {durations.map((m) => (
                  <option key={m} value={m}>
                    {t('book.minutes', { h: (m / 60).toFixed(m % 60 ? 1 : 0) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {me.status !== 'signed-in' ? (
            <p>
              <Link
                href={signInHref(
                  `/listings/${listing.id}?${new URLSearchParams({ slot: start!, minutes: String(minutes) })}`,
                )}
              >
                {t('book.signInFirst')}
              </Link>
            </p>
          ) : me.memberships.length === 0 ? (
            <p>
              <Link href="/orgs">{t('book.needOrg')}</Link>
            </p>
          ) : (
            <>
              <Field id="b-org" label={t('book.org')}>
                {(a) => (
                  <select
                    {...a}
                    value={orgId || me.memberships[0]?.organizationId}
                    onChange={(e) => setOrgId((e.target as HTMLSelectElement).value)}
                  >
                    {me.memberships.map((m) => (
                      <option key={m.organizationId} value={m.organizationId}>
                        {m.organizationName}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="b-attendees" label={t('book.attendees')} error={fieldError(problem, 'attendees')}>
                {(a) => (
                  <input
                    {...a}
                    type="number"
                    min={1}
                    required
                    value={attendees}
                    onInput={(e) => setAttendees((e.target as HTMLInputElement).value)}
                  />
                )}
              </Field>
              <Field id="b-purpose" label={t('book.purpose')} error={fieldError(problem, 'purpose')}>
                {(a) => (
                  <textarea
                    {...a}
                    required
                    maxLength={500}
                    value={purpose}
                    onInput={(e) => setPurpose((e.target as HTMLTextAreaElement).value)}
                  />
                )}
              </Field>
              <div class="summary">
                <p>
                  {t('book.summaryPrice', {
                    price: cost ? formatMoney(cost, p.model === 'fee' ? p.price.currency : 'CNY') : t('price.free'),
                  })}
                </p>
                {p.deposit && (
                  <p>{t('book.summaryDeposit', { deposit: formatMoney(p.deposit.amount, p.deposit.currency) })}</p>
                )}
                <p>{t('book.summaryPolicy', { policy: tEnum('policy', listing.rules.cancellationPolicy) })}</p>
              </div>
              {problem && !problem.errors && problem.code !== 'slot_unavailable' && (
                <ErrorNote>
                  {BOOKING_ERRORS[problem.code] ? t(BOOKING_ERRORS[problem.code]!) : problemText(problem)}
                </ErrorNote>
              )}
              <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
                {busy ? t('book.sending') : listing.rules.mode === 'instant' ? t('book.bookNow') : t('book.request')}
              </button>
            </>
          )}
        </>
      )}
    </form>
  )
}

const BOOKING_ERRORS: Record<string, MessageKey> = {
  not_a_member: 'book.notMember',
  listing_unavailable: 'book.notPublished',
}

function fieldError(problem: Problem | undefined, field: string): string | undefined {
  return fieldErrorsOf(problem)[field]
}
