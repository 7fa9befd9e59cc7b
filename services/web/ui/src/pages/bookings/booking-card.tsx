import { useState } from 'preact/hooks'
import { StripePay } from '../../components/stripe-pay.tsx'
import { formatDateTime, formatMoney, tEnum, useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { BookingActions } from './booking-actions.tsx'
import { BookingParties } from './parties.tsx'
import { PaymentForm } from './payment-form.tsx'
import { BookingRatingsPanel } from './rating-panel.tsx'
import { History, Timeline } from './timeline.tsx'
import { type Booking, OPEN, type Role } from './types.ts'

/** One booking with what the viewer may do with it. */
export function BookingCard({ booking: initial, role, detail }: { booking: Booking; role: Role[]; detail?: boolean }) {
  const t = useT()
  const [booking, setBooking] = useState(initial)
  const [refunded, setRefunded] = useState<number | undefined>()
  const isRequester = role.includes('requester')
  const isProvider = role.includes('provider')
  const isModerator = role.includes('moderator')
  const money = (n: number) => formatMoney(n, booking.price.currency)
  const side = isRequester ? 'requester' : isProvider ? 'provider' : undefined
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
      <BookingParties booking={booking} role={role} />
      {detail ? <History booking={booking} /> : <Timeline booking={booking} />}
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
      <BookingActions
        booking={booking}
        role={role}
        onDone={(next, action) => {
          setBooking(next)
          if (action === 'cancel') setRefunded(next.refundedAmount)
        }}
      />
      {(isProvider || isModerator) && booking.paymentProvider === 'offline' && booking.paymentStatus === 'due' && (
        <PaymentForm booking={booking} onDone={setBooking} />
      )}
      {(booking.status === 'completed' || booking.status === 'no_show') && (
        <BookingRatingsPanel booking={booking} side={side} />
      )}
    </li>
  )
}
