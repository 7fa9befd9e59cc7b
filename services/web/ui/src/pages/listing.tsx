import type { Schema } from '@commons/client'
import { useMemo, useState } from 'preact/hooks'
import { api, auth, type Problem, problemOf, problemText } from '../lib/api.ts'
import { VerifiedBadge } from '../lib/cards.tsx'
import { formatDateTime, formatMoney, type MessageKey, tEnum, useT } from '../lib/i18n.ts'
import { RatingItem } from '../lib/ratings.tsx'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Empty, ErrorNote, Field, Loading, must, PageTitle, useLoad } from '../lib/ui.tsx'

type Listing = Schema<'Listing'>
type Slot = Schema<'Slot'>
const DAY = 86_400_000
const WINDOW_DAYS = 14

function Facts({ listing }: { listing: Listing }) {
  const t = useT()
  const rows: Array<[string, string]> = [[t('listing.kind'), tEnum('kind', listing.kind)]]
  if (listing.kind === 'venue') {
    rows.push([t('listing.capacity'), t('listing.capacityN', { n: listing.capacity })])
    if (listing.areaSqm) rows.push([t('listing.area'), `${listing.areaSqm} m²`])
    if (listing.amenities.length)
      rows.push([t('listing.amenities'), listing.amenities.map((a) => tEnum('amenity', a)).join('、')])
  } else if (listing.kind === 'expertise') {
    rows.push([t('listing.topics'), listing.topics.join('、')])
    rows.push([t('listing.formats'), listing.formats.map((f) => tEnum('format', f)).join('、')])
    rows.push([t('listing.delivery'), tEnum('delivery', listing.delivery)])
  } else {
    rows.push([t('listing.skills'), listing.skills.join('、')])
    if (listing.monthlyHourCap) rows.push([t('listing.hourCap'), String(listing.monthlyHourCap)])
  }
  const place = [listing.location.city, listing.location.district, listing.location.address].filter(Boolean).join(' ')
  rows.push([t('listing.location'), place])
  const p = listing.pricing
  rows.push([
    t('listing.price'),
    p.model === 'free'
      ? t('price.free')
      : `${formatMoney(p.price.amount, p.price.currency)} ${p.unit === 'hour' ? t('price.perHour') : t('price.perBooking')}`,
  ])
  if (p.deposit) rows.push([t('listing.deposit'), formatMoney(p.deposit.amount, p.deposit.currency)])
  rows.push([t('listing.mode'), tEnum('mode', listing.rules.mode)])
  rows.push([t('listing.cancellation'), tEnum('policy', listing.rules.cancellationPolicy)])
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  )
}

/** Consecutive free slots starting at `index`, as long as the listing's maximum duration allows. */
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

function BookingPanel({ listing }: { listing: Listing }) {
  const t = useT()
  const me = useStore(auth)
  const from = useMemo(() => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000), [])
  const slots = useLoad(
    async () =>
      must(
        await api.GET('/v1/availability/{listingId}', {
          params: {
            path: { listingId: listing.id },
            query: { from: from.toISOString(), to: new Date(from.getTime() + WINDOW_DAYS * DAY).toISOString() },
          },
        }),
      ),
    [listing.id],
  )
  const [chosen, setChosen] = useState<number | undefined>()
  const [minutes, setMinutes] = useState<number>(listing.rules.minDurationMinutes)
  const [orgId, setOrgId] = useState('')
  const [attendees, setAttendees] = useState('10')
  const [purpose, setPurpose] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<Problem | undefined>()
  const [booked, setBooked] = useState<Schema<'Booking'> | undefined>()
  // One key per intended booking: a double click, or a retry after a lost answer, books once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), [chosen, minutes, orgId])

  if (slots.loading && !slots.data) return <Loading label={t('book.loadingSlots')} />
  if (slots.error !== undefined || !slots.data) return <ErrorNote>{t('book.slotsError')}</ErrorNote>
  const all = slots.data.slots
  const zone = slots.data.timezone
  if (all.length === 0) return <Empty title={t('book.noSlots')} />

  const byDay = new Map<string, Array<{ slot: Slot; index: number }>>()
  all.forEach((slot, index) => {
    const day = formatDateTime(slot.start, zone, { dateStyle: 'full', timeStyle: undefined })
    byDay.set(day, [...(byDay.get(day) ?? []), { slot, index }])
  })
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
      <fieldset class="slots">
        <legend>{t('book.pickSlot')}</legend>
        {[...byDay.entries()].slice(0, 7).map(([day, items]) => (
          <div class="slot-day" key={day}>
            <p class="slot-date">{day}</p>
            <div class="slot-row">
              {items.map(({ slot, index }) => (
                <label class={`slot${chosen === index ? ' is-chosen' : ''}`} key={slot.start}>
                  <input
                    type="radio"
                    name="slot"
                    value={slot.start}
                    checked={chosen === index}
                    onChange={() => {
                      setChosen(index)
                      setMinutes(listing.rules.minDurationMinutes)
                    }}
                  />
                  {formatDateTime(slot.start, zone, { dateStyle: undefined, timeStyle: 'short' })}
                </label>
              ))}
            </div>
          </div>
        ))}
      </fieldset>
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
              <Link href="/signin">{t('book.signInFirst')}</Link>
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
  return problem?.errors?.find((e) => e.path.replace(/^body\./, '') === field)?.message
}

/** The listing's published ratings, with the provider's replies. */
function ListingRatings({ listingId }: { listingId: string }) {
  const t = useT()
  const ratings = useLoad(
    async () => must(await api.GET('/v1/ratings', { params: { query: { listingId, limit: 20 } } })),
    [listingId],
  )
  return (
    <section aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t('ratings.title')}</h2>
      {ratings.loading && !ratings.data && <Loading label={t('ratings.loading')} />}
      {ratings.error !== undefined && <ErrorNote>{problemText(ratings.error)}</ErrorNote>}
      {ratings.data && ratings.data.items.length === 0 && <Empty title={t('ratings.empty')} />}
      {ratings.data && ratings.data.items.length > 0 && (
        <ul class="rating-list">
          {ratings.data.items.map((r) => (
            <RatingItem key={r.id} rating={r} />
          ))}
        </ul>
      )}
    </section>
  )
}

export default function ListingPage({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const listing = useLoad(async () => must(await api.GET('/v1/listings/{id}', { params: { path: { id } } })), [id])
  const org = useLoad(
    async () =>
      listing.data
        ? must(await api.GET('/v1/organizations/{id}', { params: { path: { id: listing.data.organizationId } } }))
        : undefined,
    [listing.data?.organizationId],
  )
  useLoad(async () => {
    if (me.status === 'signed-in') await api.POST('/v1/views', { body: { listingId: id } })
  }, [id, me.status])

  if (listing.loading && !listing.data) return <Loading />
  if (!listing.data) return <ErrorNote>{t('listing.notFound')}</ErrorNote>
  const l = listing.data
  const mine = me.memberships.some((m) => m.organizationId === l.organizationId)
  return (
    <article class="listing-page">
      <p class="card-kind">{tEnum('kind', l.kind)}</p>
      <PageTitle title={l.title}>{l.title}</PageTitle>
      {l.status !== 'published' && <p class="badge">{tEnum('status', l.status)}</p>}
      {mine && (
        <p>
          <Link href={`/listings/${l.id}/edit`} class="btn">
            {t('listing.edit')}
          </Link>
        </p>
      )}
      {l.photos.length > 0 && (
        <ul class="photos">
          {l.photos.map((src, i) => (
            <li key={src}>
              <img src={src} alt={t('listing.photoN', { n: i + 1, title: l.title })} loading="lazy" />
            </li>
          ))}
        </ul>
      )}
      <div class="listing-layout">
        <div>
          {l.description && <p class="description">{l.description}</p>}
          {l.tags.length > 0 && (
            <ul class="tags" aria-label={t('listing.tags')}>
              {l.tags.map((tag) => (
                <li key={tag}>{tag}</li>
              ))}
            </ul>
          )}
          <h2>{t('listing.facts')}</h2>
          <Facts listing={l} />
          <h2>{t('listing.org')}</h2>
          {org.data ? (
            <div class="card">
              <p class="card-title">
                <Link href={`/profiles/${org.data.id}`}>{org.data.name}</Link> {org.data.verified && <VerifiedBadge />}
              </p>
              <p>
                {tEnum('orgKind', org.data.kind)} · {org.data.city} {org.data.district}
              </p>
              {org.data.description && <p>{org.data.description}</p>}
            </div>
          ) : (
            <Loading />
          )}
          <ListingRatings listingId={l.id} />
        </div>
        <section class="card booking-card" aria-labelledby="book-title">
          <h2 id="book-title">{t('book.title')}</h2>
          {l.status === 'published' ? <BookingPanel listing={l} /> : <p>{t('book.notPublished')}</p>}
        </section>
      </div>
    </article>
  )
}
