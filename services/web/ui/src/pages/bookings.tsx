import type { Schema } from '@commons/client'
import { CreateRatingBody, RATING_DIMENSIONS, RecordPaymentBody } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { api, auth, type Problem, problemOf, problemText } from '../lib/api.ts'
import { formatDateTime, formatMoney, type MessageKey, tEnum, useT } from '../lib/i18n.ts'
import { RatingItem } from '../lib/ratings.tsx'
import { RequireAuth } from '../lib/require-auth.tsx'
import { Link, navigate, useQuery } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { StripePay } from '../lib/stripe-pay.tsx'
import { Empty, ErrorNote, Field, Loading, MoreButton, must, PageTitle, useLoad, usePages } from '../lib/ui.tsx'
import { validate } from '../lib/validate.ts'

type Booking = Schema<'Booking'>
type RefundPreview = Schema<'RefundPreview'>
type Role = 'requester' | 'provider' | 'moderator'
type Action = 'accept' | 'decline' | 'cancel' | 'complete' | 'no-show'

const OPEN: Booking['status'][] = ['pending_payment', 'requested', 'confirmed']

/** The steps a booking goes through, with the one it is at; ended-early bookings end at their final state. */
function Timeline({ booking }: { booking: Booking }) {
  const t = useT()
  const happy: Booking['status'][] = ['requested', 'confirmed', 'completed']
  const s = booking.status
  let steps: Booking['status'][]
  if (s === 'pending_payment' || s === 'payment_expired')
    steps = ['pending_payment', s === 'pending_payment' ? 'requested' : s]
  else if (s === 'declined' || s === 'expired') steps = ['requested', s]
  else if (s === 'cancelled') steps = ['requested', 'cancelled']
  else if (s === 'no_show') steps = ['requested', 'confirmed', 'no_show']
  else steps = happy
  if (s === 'pending_payment') steps = ['pending_payment', 'requested', 'confirmed', 'completed']
  const at = steps.indexOf(s)
  return (
    <ol class="timeline" aria-label={t('bookings.timeline')}>
      {steps.map((step, i) => (
        <li
          key={step}
          class={i < at ? 'done' : i === at ? `current tl-${step}` : 'todo'}
          aria-current={i === at ? 'step' : undefined}
        >
          <span class="tl-dot" aria-hidden="true" />
          <span>{tEnum('bookingStatus', step)}</span>
          {i === 0 && <span class="tl-when">{formatDateTime(booking.createdAt)}</span>}
        </li>
      ))}
    </ol>
  )
}

/** Every step the booking went through, who took it and why, as the bookings service recorded it. */
function History({ booking }: { booking: Booking }) {
  const t = useT()
  const history = useLoad(
    async () => must(await api.GET('/v1/bookings/{id}/history', { params: { path: { id: booking.id } } })).items,
    [booking.id, booking.version],
  )
  if (history.loading && !history.data) return <Loading />
  if (!history.data) return <ErrorNote>{problemText(history.error)}</ErrorNote>
  return (
    <section class="history" aria-labelledby={`h-${booking.id}`}>
      <h3 id={`h-${booking.id}`}>{t('history.title')}</h3>
      <ol>
        {history.data.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <span>
              {tEnum('history', e.action)}
              <span class="note"> · {tEnum('historyBy', e.by)}</span>
              {e.fromStatus !== e.toStatus && <span class="note"> · {tEnum('bookingStatus', e.toStatus)}</span>}
            </span>
            {e.reason && <q class="history-reason">{e.reason}</q>}
          </li>
        ))}
      </ol>
    </section>
  )
}

/** What cancelling would give back now, computed by the bookings service with the rule the cancel applies. */
function RefundNote({ booking }: { booking: Booking }) {
  const t = useT()
  const preview = useLoad(
    async () =>
      must(
        await api.GET('/v1/bookings/{id}/refund-preview', { params: { path: { id: booking.id } } }),
      ) as RefundPreview,
    [booking.id, booking.version],
  )
  if (preview.loading) return <Loading label={t('cancel.computing')} />
  const p = preview.data
  if (!p) return <ErrorNote>{problemText(preview.error)}</ErrorNote>
  const money = (n: number) => formatMoney(n, p.currency)
  const total = booking.price.amount
  // Authorised but not captured: cancelling lets go of the hold, so nothing was taken to give back.
  const held = ['authorizing', 'authorized'].includes(booking.paymentStatus)
  return (
    <div class="refund">
      <p>
        <strong>
          {total === 0
            ? t('cancel.free')
            : held
              ? t('cancel.released')
              : booking.paymentStatus !== 'paid'
                ? t('cancel.unpaid')
                : p.amount > 0
                  ? t('cancel.preview', { amount: money(p.amount), total: money(total) })
                  : t('cancel.none', { total: money(total) })}
        </strong>
      </p>
      {p.depositReleased > 0 && <p>{t('cancel.deposit', { amount: money(p.depositReleased) })}</p>}
      <p>
        {t('cancel.policy', { policy: tEnum('policy', p.policy) })} {t(`cancel.table.${p.policy}` as MessageKey)}
      </p>
    </div>
  )
}

function RateForm({ booking, side, onDone }: { booking: Booking; side: 'requester' | 'provider'; onDone: () => void }) {
  const t = useT()
  const dims = RATING_DIMENSIONS[side === 'requester' ? booking.listingKind : 'requester'] ?? []
  const [score, setScore] = useState(0)
  const [values, setValues] = useState<Record<string, number>>({})
  const [comment, setComment] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<Problem | undefined>()
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!score) {
      setErrors({ score: t('rate.pickScore') })
      return
    }
    const checked = validate(CreateRatingBody, {
      score,
      dimensions: values,
      ...(comment.trim() ? { comment } : {}),
    })
    if (checked.errors) {
      setErrors(checked.errors)
      return
    }
    setErrors({})
    setBusy(true)
    const res = await api.POST('/v1/bookings/{id}/ratings', {
      params: { path: { id: booking.id } },
      body: checked.data,
    })
    setBusy(false)
    if (problemOf(res)) setProblem(problemOf(res))
    else onDone()
  }
  const scale = (name: string, legend: string, value: number, set: (n: number) => void, error?: string) => (
    <fieldset class={`score-field${error ? ' has-error' : ''}`} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      <div class="score-options">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n}>
            <input
              type="radio"
              name={`${booking.id}-${name}`}
              value={n}
              checked={value === n}
              onChange={() => set(n)}
            />
            <span>{n}</span>
          </label>
        ))}
      </div>
      {error && (
        <p class="field-error" id={`${name}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
  const commentId = `rate-comment-${booking.id}`
  return (
    <form class="rate-form" onSubmit={submit} noValidate>
      <h3>{side === 'requester' ? t('rate.titleProvider') : t('rate.titleRequester')}</h3>
      {scale('score', t('rate.score'), score, setScore, errors.score)}
      {dims.map((d) =>
        scale(
          d,
          tEnum('dimension', d),
          values[d] ?? 0,
          (n) => setValues((v) => ({ ...v, [d]: n })),
          errors[`dimensions.${d}`],
        ),
      )}
      <Field id={commentId} label={t('rate.comment')} error={errors.comment}>
        {(a) => (
          <textarea
            {...a}
            maxLength={2000}
            value={comment}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
        )}
      </Field>
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? t('common.sending') : t('rate.submit')}
      </button>
    </form>
  )
}

/** Ratings of a completed booking: the form while the window is open, then the published pair. */
function BookingRatingsPanel({ booking, side }: { booking: Booking; side: 'requester' | 'provider' | undefined }) {
  const t = useT()
  const ratings = useLoad(
    async () => must(await api.GET('/v1/bookings/{id}/ratings', { params: { path: { id: booking.id } } })),
    [booking.id],
  )
  if (ratings.loading && !ratings.data) return <Loading label={t('ratings.loading')} />
  if (ratings.error || !ratings.data) return <ErrorNote>{problemText(ratings.error)}</ErrorNote>
  const { window, ratings: list, otherSideRated } = ratings.data
  const mine = side && list.find((r) => r.side === side)
  const published = list.filter((r) => r.publishedAt)
  return (
    <section class="booking-ratings" aria-label={t('ratings.title')}>
      {side && window.state === 'open' && !mine && <RateForm booking={booking} side={side} onDone={ratings.reload} />}
      {mine && !mine.publishedAt && <p class="note">{otherSideRated ? t('rate.waitPublish') : t('rate.waitOther')}</p>}
      {window.state === 'not_open' && <p class="note">{t('rate.notOpen')}</p>}
      {published.length > 0 && (
        <>
          <h3>{t('ratings.title')}</h3>
          <ul class="rating-list">
            {published.map((r) => (
              <RatingItem key={r.id} rating={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

const PAYMENT_METHODS = ['cash', 'bank_transfer', 'wechat_pay', 'alipay', 'other'] as const

function PaymentForm({ booking, onDone }: { booking: Booking; onDone: (b: Booking) => void }) {
  const t = useT()
  const [method, setMethod] = useState<(typeof PAYMENT_METHODS)[number]>('cash')
  const [reference, setReference] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const id = `pay-${booking.id}`
  const submit = async (e: Event) => {
    e.preventDefault()
    const checked = validate(RecordPaymentBody, { method, reference })
    if (checked.errors) {
      setError(checked.errors.reference ?? Object.values(checked.errors)[0])
      return
    }
    setBusy(true)
    const res = await api.POST('/v1/bookings/{id}/payment', {
      params: { path: { id: booking.id } },
      body: checked.data,
    })
    setBusy(false)
    if (res.data) onDone(res.data)
    else setError(problemText(problemOf(res)))
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <Field id={`${id}-method`} label={t('pay.method')}>
        {(a) => (
          <select
            {...a}
            value={method}
            onChange={(e) => setMethod((e.target as HTMLSelectElement).value as typeof method)}
          >
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {tEnum('payMethod', m)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${id}-ref`} label={t('pay.reference')} error={error}>
        {(a) => (
          <input
            {...a}
            value={reference}
            maxLength={200}
            onInput={(e) => setReference((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <button type="submit" class="btn" disabled={busy}>
        {t('pay.record')}
      </button>
    </form>
  )
}

const ACTION_LABEL: Record<Action, MessageKey> = {
  accept: 'bookings.accept',
  decline: 'bookings.decline',
  cancel: 'bookings.cancel',
  complete: 'bookings.complete',
  'no-show': 'bookings.noShow',
}

/** One booking with what the viewer may do with it. */
export function BookingCard({ booking: initial, role, detail }: { booking: Booking; role: Role[]; detail?: boolean }) {
  const t = useT()
  const [booking, setBooking] = useState(initial)
  const [asking, setAsking] = useState<Action | undefined>()
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<{ action: Action | 'pay'; text: string } | undefined>()
  const [busy, setBusy] = useState(false)
  const [refunded, setRefunded] = useState<number | undefined>()
  const isRequester = role.includes('requester')
  const isProvider = role.includes('provider')
  const isModerator = role.includes('moderator')
  const actions: Action[] = []
  if ((isProvider || isModerator) && booking.status === 'requested') actions.push('accept', 'decline')
  if ((isProvider || isModerator) && booking.status === 'confirmed') actions.push('complete', 'no-show')
  if ((isRequester || isProvider || isModerator) && OPEN.includes(booking.status)) actions.push('cancel')
  const act = async (action: Action) => {
    setBusy(true)
    setProblem(undefined)
    const body = reason.trim() ? { reason: reason.trim() } : {}
    const params = { params: { path: { id: booking.id } }, body }
    const res =
      action === 'accept'
        ? await api.POST('/v1/bookings/{id}/accept', params)
        : action === 'decline'
          ? await api.POST('/v1/bookings/{id}/decline', params)
          : action === 'cancel'
            ? await api.POST('/v1/bookings/{id}/cancel', params)
            : action === 'complete'
              ? await api.POST('/v1/bookings/{id}/complete', params)
              : await api.POST('/v1/bookings/{id}/no-show', params)
    setBusy(false)
    if (res.data) {
      setBooking(res.data)
      if (action === 'cancel') setRefunded(res.data.refundedAmount)
      setAsking(undefined)
      setReason('')
    } else setProblem({ action, text: problemText(problemOf(res)) })
  }
  const money = (n: number) => formatMoney(n, booking.price.currency)
  const side = isRequester ? 'requester' : isProvider ? 'provider' : undefined
  const needsReason = asking === 'decline'
  const titleId = `b-${booking.id}-title`
  return (
    <li class="card booking" aria-labelledby={titleId} data-status={booking.status}>
      <p class="card-kind">{tEnum('kind', booking.listingKind)}</p>
      <h2 class="card-title" id={titleId}>
        <Link href={`/listings/${booking.listingId}`}>{booking.listingTitle || t('bookings.listing')}</Link>
      </h2>
      <p>
        <span class={`status status-${booking.status}`}>{tEnum('bookingStatus', booking.status)}</span>
        {!detail && (
          <>
            {' · '}
            <Link href={`/bookings/${booking.id}`}>{t('bookings.details')}</Link>
          </>
        )}
      </p>
      <dl class="facts">
        <div>
          <dt>{t('bookings.when')}</dt>
          <dd>
            {formatDateTime(booking.start)} – {formatDateTime(booking.end, undefined, { dateStyle: undefined })}
          </dd>
        </div>
        <div>
          <dt>{t('book.attendees')}</dt>
          <dd>{booking.attendees}</dd>
        </div>
        <div>
          <dt>{t('book.purpose')}</dt>
          <dd>{booking.purpose}</dd>
        </div>
        <div>
          <dt>{t('listing.price')}</dt>
          <dd>
            {booking.price.model === 'free' ? t('price.free') : money(booking.price.amount)}
            {booking.price.deposit > 0 && ` · ${t('book.summaryDeposit', { deposit: money(booking.price.deposit) })}`}
          </dd>
        </div>
        {booking.paymentStatus !== 'none' && (
          <div>
            <dt>{t('bookings.payment')}</dt>
            <dd>{tEnum('paymentStatus', booking.paymentStatus)}</dd>
          </div>
        )}
        {booking.reason && (
          <div>
            <dt>{t('bookings.reason')}</dt>
            <dd>{booking.reason}</dd>
          </div>
        )}
      </dl>
      <Timeline booking={booking} />
      {detail && <History booking={booking} />}
      {isRequester &&
        booking.paymentProvider === 'offline' &&
        booking.paymentStatus === 'due' &&
        OPEN.includes(booking.status) && (
          <p class="note">{t('pay.offlineHint', { amount: money(booking.price.amount + booking.price.deposit) })}</p>
        )}
      {isRequester && booking.paymentProvider === 'stripe' && booking.status === 'pending_payment' && (
        <StripePay booking={booking} onPaid={setBooking} />
      )}
      {refunded !== undefined && (
        <p class="note" role="status">
          {refunded > 0 ? t('cancel.refunded', { amount: money(refunded) }) : t('cancel.done')}
        </p>
      )}
      {asking ? (
        <form
          class="confirm-box"
          onSubmit={(e) => {
            e.preventDefault()
            if (!needsReason || reason.trim()) void act(asking)
          }}
        >
          {asking === 'cancel' && <RefundNote booking={booking} />}
          <Field
            id={`r-${booking.id}`}
            label={needsReason ? t('bookings.reasonRequired') : t('bookings.reasonOptional')}
          >
            {(a) => (
              <textarea
                {...a}
                maxLength={500}
                required={needsReason}
                value={reason}
                onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          {problem?.action === asking && <ErrorNote>{problem.text}</ErrorNote>}
          <div class="actions">
            <button
              type="submit"
              class={`btn ${asking === 'accept' || asking === 'complete' ? 'btn-primary' : 'btn-danger'}`}
              disabled={busy || (needsReason && !reason.trim())}
            >
              {t(`${ACTION_LABEL[asking]}Confirm` as MessageKey)}
            </button>
            <button type="button" class="btn btn-quiet" onClick={() => setAsking(undefined)}>
              {t('common.back')}
            </button>
          </div>
        </form>
      ) : (
        actions.length > 0 && (
          <div class="actions">
            {actions.map((a) => (
              <button
                key={a}
                type="button"
                class={`btn ${a === 'accept' || a === 'complete' ? 'btn-primary' : a === 'cancel' ? 'btn-quiet' : 'btn-danger'}`}
                disabled={busy}
                onClick={() => (a === 'accept' || a === 'complete' ? void act(a) : setAsking(a))}
              >
                {t(ACTION_LABEL[a])}
              </button>
            ))}
          </div>
        )
      )}
      {!asking && problem && problem.action !== 'pay' && <ErrorNote>{problem.text}</ErrorNote>}
      {(isProvider || isModerator) && booking.paymentProvider === 'offline' && booking.paymentStatus === 'due' && (
        <PaymentForm booking={booking} onDone={setBooking} />
      )}
      {(booking.status === 'completed' || booking.status === 'no_show') && (
        <BookingRatingsPanel booking={booking} side={side} />
      )}
    </li>
  )
}

function BookingsList() {
  const t = useT()
  const me = useStore(auth)
  const query = useQuery()
  const as = query.get('as') === 'provider' ? 'provider' : 'requester'
  const orgId = query.get('org') ?? me.memberships[0]?.organizationId ?? ''
  const status = query.get('status') ?? ''
  const list = usePages(
    async (cursor) =>
      orgId
        ? must(
            await api.GET('/v1/bookings', {
              params: {
                query: {
                  as,
                  organizationId: orgId,
                  limit: 30,
                  ...(cursor ? { cursor } : {}),
                  ...(status ? { status: status as Booking['status'] } : {}),
                },
              },
            }),
          )
        : { items: [], nextCursor: null },
    [as, orgId, status],
  )
  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams({ as, org: orgId, ...(status ? { status } : {}), ...next })
    for (const [k, v] of [...q]) if (!v) q.delete(k)
    navigate(`/bookings?${q}`, { replace: true })
  }
  const title = as === 'provider' ? t('bookings.titleProvider') : t('bookings.titleRequester')
  const items = list.items
  const now = Date.now()
  const inbox = items.filter((b) => b.status === 'requested')
  const upcoming = items.filter((b) => b.status === 'confirmed' && Date.parse(b.end) >= now)
  const rest = items.filter((b) => !inbox.includes(b) && !upcoming.includes(b))
  const section = (heading: string, list: Booking[], id: string) =>
    list.length > 0 && (
      <section aria-labelledby={id}>
        <h2 id={id}>
          {heading} <span class="count">{list.length}</span>
        </h2>
        <ul class="card-list">
          {list.map((b) => (
            <BookingCard key={`${b.id}:${b.version}`} booking={b} role={[as]} />
          ))}
        </ul>
      </section>
    )
  if (me.memberships.length === 0)
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Empty title={t('bookings.noOrg')}>
          <Link href="/orgs" class="btn">
            {t('nav.orgs')}
          </Link>
        </Empty>
      </>
    )
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <nav class="tabs" aria-label={t('bookings.sides')}>
        {(['requester', 'provider'] as const).map((side) => (
          <Link
            key={side}
            href={`/bookings?as=${side}&org=${orgId}`}
            class="tab"
            aria-current={side === as ? 'page' : undefined}
          >
            {side === 'requester' ? t('bookings.tabRequester') : t('bookings.tabProvider')}
          </Link>
        ))}
      </nav>
      <div class="toolbar">
        {me.memberships.length > 1 && (
          <div class="field">
            <label for="bk-org">{t('book.org')}</label>
            <select id="bk-org" value={orgId} onChange={(e) => go({ org: (e.target as HTMLSelectElement).value })}>
              {me.memberships.map((m) => (
                <option key={m.organizationId} value={m.organizationId}>
                  {m.organizationName}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="bk-status">{t('bookings.filterStatus')}</label>
          <select id="bk-status" value={status} onChange={(e) => go({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('bookings.allStatuses')}</option>
            {[
              'requested',
              'confirmed',
              'completed',
              'cancelled',
              'declined',
              'no_show',
              'pending_payment',
              'expired',
            ].map((s) => (
              <option key={s} value={s}>
                {tEnum('bookingStatus', s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.loading && !list.loaded && <Loading />}
      {list.error !== undefined && (
        <ErrorNote>
          {t('bookings.loadError')} {problemText(list.error)}{' '}
          <button type="button" class="btn btn-quiet" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </ErrorNote>
      )}
      {list.loaded && items.length === 0 && (
        <Empty title={as === 'provider' ? t('bookings.emptyProvider') : t('bookings.emptyRequester')}>
          {as === 'requester' && (
            <Link href="/search" class="btn btn-primary">
              {t('nav.search')}
            </Link>
          )}
        </Empty>
      )}
      {as === 'provider' ? (
        <>
          {section(t('bookings.inbox'), inbox, 'bk-inbox')}
          {section(t('bookings.upcoming'), upcoming, 'bk-upcoming')}
          {section(t('bookings.past'), rest, 'bk-past')}
        </>
      ) : (
        section(t('bookings.all'), items, 'bk-all')
      )}
      <MoreButton pages={list} />
    </>
  )
}

function BookingDetail({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const booking = useLoad(async () => must(await api.GET('/v1/bookings/{id}', { params: { path: { id } } })), [id])
  if (booking.loading && !booking.data) return <Loading />
  if (!booking.data)
    return (
      <>
        <PageTitle title={t('bookings.detailTitle')}>{t('bookings.detailTitle')}</PageTitle>
        <ErrorNote>{problemText(booking.error)}</ErrorNote>
      </>
    )
  const b = booking.data
  const orgs = new Set(me.memberships.map((m) => m.organizationId))
  const role: Role[] = []
  if (orgs.has(b.requesterOrganizationId)) role.push('requester')
  if (orgs.has(b.providerOrganizationId)) role.push('provider')
  if (me.moderator) role.push('moderator')
  return (
    <>
      <PageTitle title={t('bookings.detailTitle')}>{t('bookings.detailTitle')}</PageTitle>
      <p>
        <Link href="/bookings">{t('bookings.backToList')}</Link>
      </p>
      <ul class="card-list">
        <BookingCard key={`${b.id}:${b.version}`} booking={b} role={role} detail />
      </ul>
    </>
  )
}

export default function BookingsPage({ id }: { id?: string }) {
  return <RequireAuth>{id ? <BookingDetail id={id} /> : <BookingsList />}</RequireAuth>
}
