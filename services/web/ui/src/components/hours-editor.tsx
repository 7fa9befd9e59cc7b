import { Weekday } from '@commons/contracts'
import { useT } from '../lib/i18n.ts'
import { Field } from './field.tsx'

export type Range = { start: string; end: string }
export type WeeklyHours = Record<Weekday, Range[]>
/** A dated exception as the form holds it; `key` keeps a row's inputs stable while rows are added or removed. */
export type ExceptionRow = { key: number; date: string; closed: boolean; hours: Range[]; note: string }

/** The API allows six opening spans a day (e.g. morning and afternoon around a lunch break). */
const MAX_RANGES = 6
const DEFAULT_RANGE: Range = { start: '09:00', end: '18:00' }
export const WEEKDAYS = Weekday.options

let nextKey = 1
export const exceptionRow = (fields: Omit<ExceptionRow, 'key'>): ExceptionRow => ({ key: nextKey++, ...fields })

/** The next span of a day: after the last one when there is room, otherwise the usual hours. */
function nextRange(ranges: Range[]): Range {
  const last = ranges.at(-1)
  if (!last || last.end >= '23:00') return DEFAULT_RANGE
  const [h, m] = last.end.split(':').map(Number) as [number, number]
  const end = `${String(Math.min(h + 2, 23)).padStart(2, '0')}:${String(m).padStart(2, '0')}`
  return { start: last.end, end: end > last.end ? end : '24:00' }
}

/**
 * The spans of one day, each a pair of time inputs with a remove button, and a button to add one. `name` is
 * what screen readers hear before "start"/"end" ("周一 第 2 段 开始时间").
 */
function Ranges({
  name,
  ranges,
  onChange,
  disabled = false,
}: {
  name: string
  ranges: Range[]
  onChange: (next: Range[]) => void
  disabled?: boolean
}) {
  const t = useT()
  const set = (i: number, change: Partial<Range>) => onChange(ranges.map((r, j) => (j === i ? { ...r, ...change } : r)))
  return (
    <div class="ranges">
      {ranges.map((r, i) => {
        const span = ranges.length > 1 ? t('hours.span', { name, n: i + 1 }) : name
        return (
          <div class="range" key={i}>
            <label>
              <span class="visually-hidden">{t('form.opens', { day: span })}</span>
              <input
                type="time"
                value={r.start}
                disabled={disabled}
                onInput={(e) => set(i, { start: (e.target as HTMLInputElement).value })}
              />
            </label>
            <span aria-hidden="true">–</span>
            <label>
              <span class="visually-hidden">{t('form.closes', { day: span })}</span>
              <input
                type="time"
                value={r.end}
                disabled={disabled}
                onInput={(e) => set(i, { end: (e.target as HTMLInputElement).value })}
              />
            </label>
            {ranges.length > 1 && !disabled && (
              <button
                type="button"
                class="btn btn-quiet btn-icon"
                aria-label={t('hours.removeSpan', { name: span })}
                onClick={() => onChange(ranges.filter((_, j) => j !== i))}
              >
                ×
              </button>
            )}
          </div>
        )
      })}
      {!disabled && ranges.length > 0 && ranges.length < MAX_RANGES && (
        <button
          type="button"
          class="btn btn-quiet btn-small"
          aria-label={t('hours.addSpanTo', { name })}
          onClick={() => onChange([...ranges, nextRange(ranges)])}
        >
          {t('hours.addSpan')}
        </button>
      )}
    </div>
  )
}

/** The first error whose path starts with `prefix` (the API and zod report e.g. `availability.weekly.mon.0.end`). */
const errorUnder = (errors: Record<string, string>, prefix: string) =>
  Object.entries(errors).find(([path]) => path === prefix || path.startsWith(`${prefix}.`))?.[1]

/** Weekly opening hours: a row per weekday, closed when unticked, with one or more spans when open. */
export function WeeklyEditor({
  weekly,
  onChange,
  errors,
}: {
  weekly: WeeklyHours
  onChange: (next: WeeklyHours) => void
  errors: Record<string, string>
}) {
  const t = useT()
  const setDay = (day: Weekday, ranges: Range[]) => onChange({ ...weekly, [day]: ranges })
  return (
    <fieldset class="card" id="l-availability-weekly" tabIndex={-1}>
      <legend>{t('form.weekly')}</legend>
      <p class="hint">{t('form.weeklyHint')}</p>
      {WEEKDAYS.map((d) => {
        const ranges = weekly[d]
        const open = ranges.length > 0
        const dayName = t(`weekday.${d}`)
        const error = errorUnder(errors, `availability.weekly.${d}`)
        return (
          <div class="day-row" key={d}>
            <label class="choice day-name">
              <input type="checkbox" checked={open} onChange={() => setDay(d, open ? [] : [DEFAULT_RANGE])} />
              {dayName}
            </label>
            {open ? (
              <Ranges name={dayName} ranges={ranges} onChange={(next) => setDay(d, next)} />
            ) : (
              <span class="hint">{t('hours.closed')}</span>
            )}
            {error && <span class="field-error">{error}</span>}
          </div>
        )
      })}
    </fieldset>
  )
}

/** Dated exceptions: a holiday closure, or special hours that replace the weekly ones that day. */
export function ExceptionsEditor({
  exceptions,
  onChange,
  errors,
  today,
}: {
  exceptions: ExceptionRow[]
  onChange: (next: ExceptionRow[]) => void
  errors: Record<string, string>
  /** The listing's local date, the earliest an exception can usefully start. */
  today: string
}) {
  const t = useT()
  const set = (key: number, change: Partial<ExceptionRow>) =>
    onChange(exceptions.map((e) => (e.key === key ? { ...e, ...change } : e)))
  const listError = errors['availability.exceptions']
  return (
    <fieldset class="card" id="l-availability-exceptions" tabIndex={-1}>
      <legend>{t('hours.exceptions')}</legend>
      <p class="hint">{t('hours.exceptionsHint')}</p>
      {exceptions.length === 0 && <p class="hint">{t('hours.noExceptions')}</p>}
      <ul class="exceptions">
        {exceptions.map((e, i) => {
          const id = `l-availability-exceptions-${i}`
          const dateError = errorUnder(errors, `availability.exceptions.${i}.date`)
          const hoursError =
            errorUnder(errors, `availability.exceptions.${i}.hours`) ??
            errorUnder(errors, `availability.exceptions.${i}.closed`)
          const name = e.date || t('hours.thisDate')
          return (
            <li key={e.key} class="exception">
              <Field id={`${id}-date`} label={t('hours.date')} error={dateError}>
                {(a) => (
                  <input
                    {...a}
                    type="date"
                    min={today}
                    value={e.date}
                    onInput={(ev) => set(e.key, { date: (ev.target as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <Field id={`${id}-closed`} label={t('hours.thatDay')}>
                {(a) => (
                  <select
                    {...a}
                    value={e.closed ? 'closed' : 'open'}
                    onChange={(ev) => {
                      const closed = (ev.target as HTMLSelectElement).value === 'closed'
                      set(e.key, { closed, hours: closed ? [] : e.hours.length ? e.hours : [DEFAULT_RANGE] })
                    }}
                  >
                    <option value="closed">{t('hours.closedThatDay')}</option>
                    <option value="open">{t('hours.specialHours')}</option>
                  </select>
                )}
              </Field>
              {!e.closed && (
                <div class="field">
                  <span class="label">{t('hours.hoursThatDay')}</span>
                  <Ranges name={name} ranges={e.hours} onChange={(hours) => set(e.key, { hours })} />
                  {hoursError && <p class="field-error">{hoursError}</p>}
                </div>
              )}
              <Field id={`${id}-note`} label={t('hours.note')}>
                {(a) => (
                  <input
                    {...a}
                    value={e.note}
                    maxLength={200}
                    placeholder={t('hours.notePlaceholder')}
                    onInput={(ev) => set(e.key, { note: (ev.target as HTMLInputElement).value })}
                  />
                )}
              </Field>
              <button
                type="button"
                class="btn btn-quiet btn-danger btn-small"
                aria-label={t('hours.removeException', { name })}
                onClick={() => onChange(exceptions.filter((x) => x.key !== e.key))}
              >
                {t('common.remove')}
              </button>
            </li>
          )
        })}
      </ul>
      {listError && <p class="field-error">{listError}</p>}
      <button
        type="button"
        class="btn btn-small"
        onClick={() => onChange([...exceptions, exceptionRow({ date: '', closed: true, hours: [], note: '' })])}
      >
        {t('hours.addException')}
      </button>
    </fieldset>
  )
}
