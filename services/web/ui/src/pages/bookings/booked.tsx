import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import type { Booking } from './types.ts'

const HOUR = 3_600_000

/** A short number people can read out on the phone: the random tail of the booking's id. */
export const bookingNumber = (id: string) => id.replace(/-/g, '').slice(-8).toUpperCase()

/**
 * By when the next step happens, by the bookings service's rules (DESIGN.md §3): a request expires
 * unanswered after 48 hours or 1 hour before the start, whichever is first; a card payment holds the slot
 * for 15 minutes.
 */
export function nextStepDeadline(b: Booking): string | undefined {
  if (b.status === 'requested')
    return new Date(Math.min(Date.parse(b.createdAt) + 48 * HOUR, Date.parse(b.start) - HOUR)).toISOString()
  if (b.status === 'pending_payment') return new Date(Date.parse(b.createdAt) + 15 * 60_000).toISOString()
  return undefined
}

/** What the member sees right after booking: the number, the time, the place, and what happens next. */
export function BookedPage({ id }: { id: string }) {
  const t = useT()
  const booking = useLoad(async () => must(await api.GET('/v1/bookings/{id}', { params: { path: { id } } })), [id])
  if (booking.loading && !booking.data) return <Loading />
  if (!booking.data) return <ErrorNote>{problemText(booking.error)}</ErrorNote>
  const b = booking.data
  const deadline = nextStepDeadline(b)
  const provider = b.parties?.provider.organizationName ?? t('contacts.unknownOrg')
  return (
    <section class="narrow booked">
      <PageTitle title={t('booked.title')}>{t('booked.title')}</PageTitle>
      <div class="notice notice-ok" role="status">
        <p>{t('book.done', { status: tEnum('bookingStatus', b.status) })}</p>
      </div>
      <dl class="facts card">
        <div>
          <dt>{t('booked.number')}</dt>
          <dd class="booking-number">{bookingNumber(b.id)}</dd>
        </div>
        <div>
          <dt>{t('bookings.listing')}</dt>
          <dd>
            <Link href={`/listings/${b.listingId}`}>{b.listingTitle}</Link> · {provider}
          </dd>
        </div>
        <div>
          <dt>{t('bookings.when')}</dt>
          <dd>
            {formatDateTime(b.start)} – {formatDateTime(b.end, undefined, { dateStyle: undefined })}
          </dd>
        </div>
        {b.contacts?.address && (
          <div>
            <dt>{t('contacts.address')}</dt>
            <dd>{b.contacts.address}</dd>
          </div>
        )}
      </dl>
      <h2>{t('booked.next')}</h2>
      <p>
        {b.status === 'requested' && t('booked.nextRequested', { provider, deadline: formatDateTime(deadline!) })}
        {b.status === 'pending_payment' && t('booked.nextPayment', { deadline: formatDateTime(deadline!) })}
        {b.status === 'confirmed' && t('booked.nextConfirmed')}
      </p>
      {b.paymentProvider === 'offline' && b.price.amount + b.price.deposit > 0 && <p>{t('booked.offlinePay')}</p>}
      <p class="actions">
        <Link href={`/bookings/${b.id}`} class="btn btn-primary">
          {t('booked.view')}
        </Link>
        <Link href="/search" class="btn btn-quiet">
          {t('booked.more')}
        </Link>
      </p>
    </section>
  )
}
