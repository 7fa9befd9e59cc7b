import type { Pricing } from '@commons/contracts'
import type { PriceSnapshot } from '../db/schema.ts'
import { HOUR } from '../units.ts'

/** The price of [start, end) under the listing's pricing, fixed on the booking. Pure. */
export function priceSnapshot(pricing: Pricing, start: Date, end: Date): PriceSnapshot {
  const deposit = pricing.deposit?.amount ?? 0
  if (pricing.model === 'free') {
    return {
      model: 'free',
      unit: null,
      unitAmount: 0,
      quantity: 1,
      amount: 0,
      deposit,
      currency: pricing.deposit?.currency ?? 'CNY',
    }
  }
  const hours = (end.getTime() - start.getTime()) / HOUR
  const quantity = pricing.unit === 'hour' ? hours : 1
  return {
    model: 'fee',
    unit: pricing.unit,
    unitAmount: pricing.price.amount,
    quantity,
    amount: Math.round(pricing.price.amount * quantity),
    deposit,
    currency: pricing.price.currency,
  }
}
