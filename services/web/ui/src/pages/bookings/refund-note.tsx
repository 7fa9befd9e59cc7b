import type { Schema } from '@commons/client'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, problemText } from '../../lib/api.ts'
import { formatMoney, type MessageKey, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import type { Booking } from './types.ts'

type RefundPreview = Schema<'RefundPreview'>

/** What cancelling would give back now, computed by the bookings service with the rule the cancel applies. */
export function RefundNote({ booking }: { booking: Booking }) {
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
