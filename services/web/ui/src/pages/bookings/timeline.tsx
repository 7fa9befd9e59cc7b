import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import type { Booking } from './types.ts'

/** The steps a booking goes through, with the one it is at; ended-early bookings end at their final state. */
export function Timeline({ booking }: { booking: Booking }) {
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
export function History({ booking }: { booking: Booking }) {
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
