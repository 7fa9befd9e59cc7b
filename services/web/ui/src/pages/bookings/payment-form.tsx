import { RecordPaymentBody } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { Field } from '../../components/field.tsx'
import { api, problemOf, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { validate } from '../../lib/validate.ts'
import type { Booking } from './types.ts'

const PAYMENT_METHODS = ['cash', 'bank_transfer', 'wechat_pay', 'alipay', 'other'] as const

export function PaymentForm({ booking, onDone }: { booking: Booking; onDone: (b: Booking) => void }) {
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
