import { stripeSignature, type WebhookDelivery, type WebhookTarget } from './stripe-objects.ts'

/**
 * Sends events to a webhook endpoint as Stripe does: signed, after the API answer that made them, retried
 * with doubling waits on a non-2xx answer or a connection error. `stopping` ends every wait and attempt at
 * once; `timers` collects the pending waits so the server can clear them when it closes.
 */
export function webhookSender(opts: { stopping: AbortSignal; timers: Set<NodeJS.Timeout> }) {
  const { stopping, timers } = opts
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
      stopping.addEventListener('abort', () => resolve(), { once: true })
    })

  return async function deliver(target: WebhookTarget, delivery: WebhookDelivery): Promise<void> {
    const payload = JSON.stringify(delivery.event)
    const attempts = target.attempts ?? 4
    // As Stripe does: after the API answer that caused the event, never inside it.
    await new Promise((resolve) => setImmediate(resolve))
    for (let attempt = 0; attempt < attempts && !stopping.aborted; attempt++) {
      if (attempt > 0) await sleep((target.retryDelayMs ?? 100) * 2 ** (attempt - 1))
      if (stopping.aborted) return
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            // Signed again for every attempt, with the attempt's time, as Stripe does.
            'stripe-signature': stripeSignature(payload, target.secret),
          },
          body: payload,
          signal: AbortSignal.any([stopping, AbortSignal.timeout(10_000)]),
        })
        await res.arrayBuffer()
        delivery.attempts.push(res.status)
        if (res.ok) {
          delivery.delivered = true
          return
        }
      } catch (error) {
        delivery.attempts.push(error instanceof Error ? error.message : String(error))
      }
    }
  }
}
