import { useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { StripePay } from '../../components/stripe-pay.tsx'
import { api, problemOf, problemText } from '../../lib/api.ts'
import { formatDateTime, formatMoney, type MessageKey, tEnum, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { PaymentForm } from './payment-form.tsx'
import { BookingRatingsPanel } from './rating-panel.tsx'
import { RefundNote } from './refund-note.tsx'
import { History, Timeline } from './timeline.tsx'
import { type Action, type Booking, OPEN, type Role } from './types.ts'

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
