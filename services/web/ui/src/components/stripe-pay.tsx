import type { Schema } from '@commons/client'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, problemText } from '../lib/api.ts'
import { formatMoney, lang, useT } from '../lib/i18n.ts'
import { must } from '../lib/load.ts'
import { ErrorNote, Loading } from './feedback.tsx'

type Booking = Schema<'Booking'>
type PaymentSession = Schema<'PaymentSession'>

/** The part of Stripe.js this page uses (https://docs.stripe.com/js). */
interface StripeCard {
  mount(target: HTMLElement): void
  destroy(): void
}
interface StripeJs {
  elements(): { create(type: 'card', options?: object): StripeCard }
  confirmCardPayment(
    clientSecret: string,
    data: { payment_method: { card: StripeCard } },
  ): Promise<{ paymentIntent?: { status: string }; error?: { message?: string; code?: string } }>
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string, options?: { locale?: string }) => StripeJs
  }
}

type StripeFactory = NonNullable<Window['Stripe']>
let loading: Promise<StripeFactory> | undefined

/**
 * Stripe.js, loaded once and only on this page: card numbers go from Stripe's script straight to Stripe, never
 * through Commons. Where it comes from is the deployment's choice (`/ui-config.json`).
 */
function loadStripe(): Promise<StripeFactory> {
  loading ??= (async () => {
    const config = (await (await fetch('/ui-config.json')).json()) as { stripeJsUrl: string }
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script')
      script.src = config.stripeJsUrl
      script.onload = () => resolve()
      script.onerror = () => reject(new Error('Stripe.js did not load'))
      document.head.append(script)
    })
    if (!window.Stripe) throw new Error('Stripe.js did not load')
    return window.Stripe
  })().catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

const DONE: Array<PaymentSession['parts'][number]['status']> = ['authorized', 'paid']
const POLL_MS = 1000
const POLL_FOR_MS = 30_000

/**
 * Paying a Stripe booking: one card authorises the charge and the deposit (separate PaymentIntents, so the
 * deposit can be released on its own). The booking leaves pending_payment when Stripe's webhook reaches the
 * bookings service, so after confirming the page polls the booking until it moves.
 */
export function StripePay({ booking, onPaid }: { booking: Booking; onPaid: (b: Booking) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const total = booking.price.amount + booking.price.deposit
  if (!open)
    return (
      <button type="button" class="btn btn-primary" onClick={() => setOpen(true)}>
        {t('stripe.payNow', { amount: formatMoney(total, booking.price.currency) })}
      </button>
    )
  return <CardForm booking={booking} onPaid={onPaid} onClose={() => setOpen(false)} />
}

function CardForm({
  booking,
  onPaid,
  onClose,
}: {
  booking: Booking
  onPaid: (b: Booking) => void
  onClose: () => void
}) {
  const t = useT()
  const mountAt = useRef<HTMLDivElement>(null)
  const stripe = useRef<{ js: StripeJs; card: StripeCard; session: PaymentSession }>()
  const [ready, setReady] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const [stage, setStage] = useState<'idle' | 'paying' | 'waiting'>('idle')

  useEffect(() => {
    let live = true
    let card: StripeCard | undefined
    ;(async () => {
      try {
        const [Stripe, session] = await Promise.all([
          loadStripe(),
          api
            .GET('/v1/bookings/{id}/payment-session', { params: { path: { id: booking.id } } })
            .then((res) => must(res) as PaymentSession),
        ])
        if (!live || !mountAt.current) return
        // Stripe's own messages (card errors, field hints) in the page's language.
        const js = Stripe(session.publishableKey, { locale: lang.get() === 'en' ? 'en' : 'zh' })
        card = js.elements().create('card', { hidePostalCode: true })
        card.mount(mountAt.current)
        stripe.current = { js, card, session }
        setReady(true)
      } catch (e) {
        if (live) setError(e instanceof Error && !('code' in e) ? t('stripe.unavailable') : problemText(e))
      }
    })()
    return () => {
      live = false
      card?.destroy()
    }
  }, [booking.id])

  const pay = async (e: Event) => {
    e.preventDefault()
    const s = stripe.current
    if (!s) return
    setError(undefined)
    setStage('paying')
    for (const part of s.session.parts) {
      if (DONE.includes(part.status)) continue
      const result = await s.js.confirmCardPayment(part.clientSecret, { payment_method: { card: s.card } })
      if (result.error) {
        setError(
          result.error.code === 'card_declined' ? t('stripe.declined') : (result.error.message ?? t('stripe.declined')),
        )
        setStage('idle')
        return
      }
      part.status = 'authorized'
    }
    setStage('waiting')
    const until = Date.now() + POLL_FOR_MS
    while (Date.now() < until) {
      const res = await api.GET('/v1/bookings/{id}', { params: { path: { id: booking.id } } })
      if (res.data && res.data.status !== 'pending_payment') return onPaid(res.data)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    setError(t('stripe.slow'))
    setStage('idle')
  }

  const money = (n: number) => formatMoney(n, booking.price.currency)
  return (
    <form class="confirm-box stripe-pay" onSubmit={pay} aria-busy={stage !== 'idle'}>
      <p>
        {t('stripe.summary', { price: money(booking.price.amount) })}
        {booking.price.deposit > 0 && ` ${t('stripe.deposit', { deposit: money(booking.price.deposit) })}`}
      </p>
      {!ready && !error && <Loading label={t('stripe.loading')} />}
      <div class="card-element" ref={mountAt} />
      {error && <ErrorNote>{error}</ErrorNote>}
      {stage === 'waiting' && (
        <p class="note" role="status">
          {t('stripe.waiting')}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={!ready || stage !== 'idle'}>
          {stage === 'idle' ? t('stripe.pay') : t('common.sending')}
        </button>
        <button type="button" class="btn btn-quiet" onClick={onClose} disabled={stage !== 'idle'}>
          {t('common.back')}
        </button>
      </div>
      <p class="hint">{t('stripe.secure')}</p>
    </form>
  )
}
