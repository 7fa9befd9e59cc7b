import { useState } from 'preact/hooks'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, problemText } from '../../lib/api.ts'
import { lang, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { ActivityCard } from './activity-card.tsx'
import { type Activity, dayOf, dayStart, nextDay } from './types.ts'

type Mode = 'month' | 'week'

/** Monday (ISO weekday 1) on or before `day`. */
function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay() || 7
  return nextDay(day, 1 - weekday)
}

/** The days shown: whole weeks covering the month, or the one week. */
function daysOf(mode: Mode, anchor: string): { days: string[]; month: string } {
  const month = anchor.slice(0, 7)
  if (mode === 'week') {
    const first = mondayOf(anchor)
    return { days: Array.from({ length: 7 }, (_, i) => nextDay(first, i)), month }
  }
  const first = mondayOf(`${month}-01`)
  const days: string[] = []
  for (let d = first; d.slice(0, 7) <= month || days.length % 7 !== 0; d = nextDay(d)) days.push(d)
  return { days, month }
}

const label = (day: string, opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(lang.get(), { ...opts, timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))

/**
 * The calendar of published activities, by month or week. On a phone a month's days are too narrow for
 * titles, so each day shows how many activities it has and the chosen day's activities are listed below.
 */
export function ActivityCalendar() {
  const t = useT()
  const today = dayOf(new Date().toISOString())
  const [mode, setMode] = useState<Mode>('month')
  const [anchor, setAnchor] = useState(today)
  const [chosen, setChosen] = useState(today)
  const { days, month } = daysOf(mode, anchor)
  const from = days[0]!
  const to = nextDay(days[days.length - 1]!)
  const load = useLoad(
    async () =>
      must(
        await api.GET('/v1/activities', { params: { query: { from: dayStart(from), to: dayStart(to), limit: 100 } } }),
      ),
    [from, to],
  )
  const byDay = new Map<string, Activity[]>()
  for (const a of load.data?.items ?? []) {
    // An activity over several days shows on each of them.
    for (let d = dayOf(a.start); d <= dayOf(a.end); d = nextDay(d)) byDay.set(d, [...(byDay.get(d) ?? []), a])
  }
  const move = (step: number) => {
    const next = mode === 'week' ? nextDay(anchor, 7 * step) : shiftMonth(anchor, step)
    setAnchor(next)
    setChosen(next)
  }
  const chosenItems = byDay.get(chosen) ?? []
  return (
    <section class="calendar" aria-label={t('activities.tabCalendar')}>
      <div class="toolbar calendar-bar">
        <button type="button" class="btn btn-small" onClick={() => move(-1)}>
          {mode === 'week' ? t('calendar.prevWeek') : t('calendar.prevMonth')}
        </button>
        <h2 class="calendar-title">
          {mode === 'week'
            ? t('calendar.weekOf', { day: label(days[0]!, { month: 'long', day: 'numeric' }) })
            : label(`${month}-01`, { year: 'numeric', month: 'long' })}
        </h2>
        <button type="button" class="btn btn-small" onClick={() => move(1)}>
          {mode === 'week' ? t('calendar.nextWeek') : t('calendar.nextMonth')}
        </button>
      </div>
      <fieldset class="choice-row calendar-mode">
        <legend class="visually-hidden">{t('calendar.mode')}</legend>
        {(['month', 'week'] as const).map((m) => (
          <button
            key={m}
            type="button"
            class={`chip${mode === m ? ' is-on' : ''}`}
            aria-pressed={mode === m}
            onClick={() => setMode(m)}
          >
            {m === 'month' ? t('calendar.month') : t('calendar.week')}
          </button>
        ))}
      </fieldset>
      {load.loading && !load.data && <Loading />}
      {load.error !== undefined && <ErrorNote>{problemText(load.error)}</ErrorNote>}
      {mode === 'month' ? (
        <>
          <ol class="month-grid">
            {days.map((d) => {
              const n = byDay.get(d)?.length ?? 0
              return (
                <li key={d} class={d.slice(0, 7) === month ? '' : 'other-month'}>
                  <button
                    type="button"
                    class={`day${d === chosen ? ' is-chosen' : ''}${d === today ? ' is-today' : ''}`}
                    aria-pressed={d === chosen}
                    onClick={() => setChosen(d)}
                  >
                    {/* The visible day number starts the name; the full date and the count are for screen readers. */}
                    <span>{Number(d.slice(8))}</span>
                    <span class="visually-hidden">
                      {label(d, { month: 'long', day: 'numeric', weekday: 'short' })}
                      {n ? t('calendar.countN', { n }) : ''}
                    </span>
                    {n > 0 && (
                      <span class="day-count" aria-hidden="true">
                        {n}
                      </span>
                    )}
                  </button>
                </li>
              )
            })}
          </ol>
          <h3>{label(chosen, { month: 'long', day: 'numeric', weekday: 'long' })}</h3>
          {chosenItems.length === 0 ? (
            <Empty title={t('calendar.nothing')} />
          ) : (
            <ul class="card-list">
              {chosenItems.map((a) => (
                <li key={a.id}>
                  <ActivityCard activity={a} />
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <ol class="week-list">
          {days.map((d) => (
            <li key={d}>
              <h3>{label(d, { month: 'long', day: 'numeric', weekday: 'long' })}</h3>
              {(byDay.get(d) ?? []).length === 0 ? (
                <p class="note">{t('calendar.nothing')}</p>
              ) : (
                <ul class="card-list">
                  {(byDay.get(d) ?? []).map((a) => (
                    <li key={a.id}>
                      <ActivityCard activity={a} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

function shiftMonth(day: string, step: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + step)
  return d.toISOString().slice(0, 10)
}
