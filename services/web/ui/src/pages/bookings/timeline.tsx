import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import type { Booking } from './types.ts'

type Status = Booking['status']

/** What certainly comes next from a state, if all goes well (nothing is guessed for a pending payment). */
const AHEAD: Partial<Record<Status, Status[]>> = {
  requested: ['confirmed', 'completed'],
  confirmed: ['completed'],
}

/**
 * The states a booking passed through, then the ones still ahead of it. `passed` comes from its history;
 * without it (list cards) only the current state is known, so nothing is shown as passed that was not:
 * an instant booking was never requested, a booking cancelled before acceptance was never confirmed.
 */
export function Timeline({ booking, passed }: { booking: Booking; passed?: Status[] }) {
  const t = useT()
  const done = (passed ?? [booking.status]).filter((s, i, all) => all.indexOf(s) === i && s !== booking.status)
  const steps = [...done, booking.status, ...(AHEAD[booking.status] ?? [])]
  const at = done.length
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

/**
 * Every step the booking went through, who took it and why, as the bookings service recorded it, under
 * the timeline of the states it passed through.
 */
export function History({ booking }: { booking: Booking }) {
  const t = useT()
  const history = useLoad(
    async () => must(await api.GET('/v1/bookings/{id}/history', { params: { path: { id: booking.id } } })).items,
    [booking.id, booking.version],
  )
  if (history.loading && !history.data) return <Loading />
  if (!history.data) return <ErrorNote>{problemText(history.error)}</ErrorNote>
  return (
    <>
      <Timeline booking={booking} passed={history.data.map((e) => e.toStatus)} />
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
    </>
  )
}
