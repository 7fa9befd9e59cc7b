import { useEffect, useRef } from 'preact/hooks'
import { formatDateTime, formatMoney, lang, useT } from '../../lib/i18n.ts'
import { DAY, type Listing, type Slot } from './types.ts'

/** One day of the listing's booking horizon, in its time zone. */
export interface PickerDay {
  /** `YYYY-MM-DD` in the listing's time zone. */
  date: string
  /** The day's bookable slots, as indexes into the free list. */
  free: number[]
  /** Slots the day would offer that bookings hold. */
  taken: Slot[]
}

/** `YYYY-MM-DD` of an instant in `timeZone` (Sweden's format is ISO's). */
export function dateIn(instant: number | string, timeZone: string): string {
  return new Date(instant).toLocaleDateString('sv-SE', { timeZone })
}

/**
 * Every day from `from` to the end of the horizon, with its free and taken slots; days without either are
 * closed (不开放) and still shown, so the strip is a calendar, not a list of gaps.
 */
export function pickerDays(from: Date, days: number, free: Slot[], taken: Slot[], timeZone: string): PickerDay[] {
  const byDate = new Map<string, PickerDay>()
  for (let i = 0; i <= days; i++) {
    const date = dateIn(from.getTime() + i * DAY, timeZone)
    if (!byDate.has(date)) byDate.set(date, { date, free: [], taken: [] })
  }
  for (const [index, slot] of free.entries()) byDate.get(dateIn(slot.start, timeZone))?.free.push(index)
  for (const slot of taken) byDate.get(dateIn(slot.start, timeZone))?.taken.push(slot)
  return [...byDate.values()]
}

/** What one slot costs under the listing's price (hourly prices per slot length). */
export function slotPrice(listing: Listing): string {
  const p = listing.pricing
  if (p.model !== 'fee') return ''
  const amount = p.unit === 'hour' ? Math.round((p.price.amount * listing.rules.slotMinutes) / 60) : p.price.amount
  return formatMoney(amount, p.price.currency)
}

/**
 * The date strip over the whole booking horizon and the chosen day's slots: free ones to pick, taken ones
 * greyed (已约满), closed days marked (不开放), the price beside each slot.
 */
export function SlotPicker(props: {
  listing: Listing
  days: PickerDay[]
  free: Slot[]
  zone: string
  day: string
  onDay: (date: string) => void
  chosen: number | undefined
  onChoose: (index: number) => void
}) {
  const t = useT()
  const { days, free, zone, day, chosen } = props
  const strip = useRef<HTMLDivElement>(null)
  const current = days.find((d) => d.date === day)
  const price = slotPrice(props.listing)
  const weekday = new Intl.DateTimeFormat(lang.get(), { weekday: 'short', timeZone: 'UTC' })
  const monthDay = new Intl.DateTimeFormat(lang.get(), { month: 'numeric', day: 'numeric', timeZone: 'UTC' })
  const fullDate = new Intl.DateTimeFormat(lang.get(), { dateStyle: 'full', timeZone: 'UTC' })
  // Dates are calendar days in the listing's zone; formatting them at UTC noon keeps them that day.
  const asDate = (date: string) => new Date(`${date}T12:00:00Z`)

  // The chosen day stays in view in the strip (it can be 90 days out).
  useEffect(() => {
    strip.current?.querySelector('[aria-pressed="true"]')?.scrollIntoView({ block: 'nearest', inline: 'center' })
  }, [day])

  const time = (slot: Slot) => formatDateTime(slot.start, zone, { dateStyle: undefined, timeStyle: 'short' })
  const entries = current
    ? [
        ...current.free.map((index) => ({ slot: free[index]!, index })),
        ...current.taken.map((slot) => ({ slot, index: undefined })),
      ].sort((a, b) => Date.parse(a.slot.start) - Date.parse(b.slot.start))
    : []

  return (
    <>
      <fieldset class="date-strip-set">
        <legend class="visually-hidden">{t('book.pickDay')}</legend>
        <div class="date-strip" ref={strip}>
          {days.map((d) => {
            const state = d.free.length > 0 ? 'open' : d.taken.length > 0 ? 'full' : 'closed'
            const note =
              state === 'open'
                ? t('book.dayFree', { n: d.free.length })
                : t(state === 'full' ? 'book.full' : 'book.closed')
            return (
              <button
                type="button"
                key={d.date}
                class={`date-chip is-${state}`}
                data-date={d.date}
                aria-pressed={d.date === day}
                onClick={() => props.onDay(d.date)}
              >
                <span class="date-chip-weekday">{weekday.format(asDate(d.date))}</span>
                <span class="date-chip-day">{monthDay.format(asDate(d.date))}</span>
                <span class="date-chip-note">{note}</span>
              </button>
            )
          })}
        </div>
      </fieldset>
      <fieldset class="slots">
        <legend>{t('book.pickSlot')}</legend>
        {current && <p class="slot-date">{fullDate.format(asDate(current.date))}</p>}
        {entries.length === 0 ? (
          <p class="hint">{t('book.dayClosed')}</p>
        ) : (
          <div class="slot-row">
            {entries.map(({ slot, index }) =>
              index === undefined ? (
                <span class="slot-off" key={slot.start}>
                  {time(slot)}
                  <span class="slot-note">{t('book.full')}</span>
                </span>
              ) : (
                <label class={`slot${chosen === index ? ' is-chosen' : ''}`} key={slot.start}>
                  <input
                    type="radio"
                    name="slot"
                    value={slot.start}
                    checked={chosen === index}
                    onChange={() => props.onChoose(index)}
                  />
                  {time(slot)}
                  <span class="slot-note">{price || t('price.free')}</span>
                </label>
              ),
            )}
          </div>
        )}
      </fieldset>
    </>
  )
}
