import type { Schema } from '@commons/client'
import { useT } from '../lib/i18n.ts'

type LedgerMonth = Schema<'LedgerMonth'>

const W = 480
const H = 220
const PAD = { top: 16, right: 8, bottom: 40, left: 44 }

/** Nice round upper bound for the axis (1, 2, 5 × 10^n). */
function niceMax(value: number): number {
  if (value <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(value))
  for (const m of [1, 2, 5, 10]) if (value <= m * p) return m * p
  return 10 * p
}

/**
 * Hours shared per month as an inline SVG bar chart (no chart library). The numbers are also given as a
 * table for screen readers and for people who prefer figures; the SVG itself is decorative for them.
 */
export function LedgerChart({ months, caption }: { months: LedgerMonth[]; caption: string }) {
  const t = useT()
  const shown = months.slice(-12)
  const max = niceMax(Math.max(...shown.map((m) => m.hoursShared), 0))
  const innerW = W - PAD.left - PAD.right
  const innerH = H - PAD.top - PAD.bottom
  const band = innerW / Math.max(shown.length, 1)
  const bar = Math.min(band * 0.6, 40)
  const ticks = [0, max / 2, max]
  return (
    <figure class="ledger-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby="ledger-chart-caption"
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{caption}</title>
        {ticks.map((v) => {
          const y = PAD.top + innerH - (v / max) * innerH
          return (
            <g key={v}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} class="grid" />
              <text x={PAD.left - 6} y={y + 4} text-anchor="end" class="tick">
                {Number.isInteger(v) ? v : v.toFixed(1)}
              </text>
            </g>
          )
        })}
        {shown.map((m, i) => {
          const h = (m.hoursShared / max) * innerH
          const x = PAD.left + i * band + (band - bar) / 2
          return (
            <g key={m.month}>
              <rect x={x} y={PAD.top + innerH - h} width={bar} height={h} class="bar" rx={3}>
                <title>{t('ledger.barTitle', { month: m.month, hours: m.hoursShared })}</title>
              </rect>
              <text x={x + bar / 2} y={H - PAD.bottom + 22} text-anchor="middle" class="tick">
                {m.month.slice(5)}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption id="ledger-chart-caption">{caption}</figcaption>
    </figure>
  )
}

/** The ledger months as a table: the accessible and exact form of the chart. */
export function LedgerTable({ months }: { months: LedgerMonth[] }) {
  const t = useT()
  return (
    // A scrollable region must be reachable by keyboard (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones
    <section class="table-scroll" tabIndex={0} aria-label={t('ledger.tableLabel')}>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('ledger.month')}</th>
            <th scope="col">{t('ledger.bookings')}</th>
            <th scope="col">{t('ledger.hours')}</th>
            <th scope="col">{t('ledger.groups')}</th>
            <th scope="col">{t('ledger.attendees')}</th>
            <th scope="col">{t('ledger.volunteerHours')}</th>
            <th scope="col">{t('ledger.rating')}</th>
          </tr>
        </thead>
        <tbody>
          {months
            .slice()
            .reverse()
            .map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.completedBookings}</td>
                <td>{m.hoursShared}</td>
                <td>{m.groupsServed}</td>
                <td>{m.attendees}</td>
                <td>{m.volunteerHours}</td>
                <td>{m.averageRating === null ? '—' : m.averageRating.toFixed(1)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  )
}
