import type { Schema } from '@commons/client'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { api, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'

/**
 * The open ledger's activity rows: per month, activities held, people served (checked in), volunteer hours
 * and the average evaluation by the people served. Aggregates only: no person appears.
 */
export function ActivityLedgerSection({ organizationId }: { organizationId?: string }) {
  const t = useT()
  const ledger = useLoad(
    async () =>
      must(
        await api.GET('/v1/activities/ledger', { params: { query: organizationId ? { organizationId } : {} } }),
      ) as Schema<'ActivityLedger'>,
    [organizationId],
  )
  // The platform's ledger sums every organization's rows of a month.
  const months = new Map<string, { held: number; served: number; hours: number; scores: number[] }>()
  for (const r of ledger.data?.items ?? []) {
    const m = months.get(r.month) ?? { held: 0, served: 0, hours: 0, scores: [] }
    m.held += r.activitiesHeld
    m.served += r.peopleServed
    m.hours += r.volunteerHours
    if (r.averageFromServed !== null) m.scores.push(r.averageFromServed)
    months.set(r.month, m)
  }
  return (
    <section class="activity-ledger" aria-labelledby="activity-ledger-title">
      <h2 id="activity-ledger-title">{t('activityLedger.title')}</h2>
      {ledger.loading && !ledger.data && <Loading />}
      {ledger.error !== undefined && <ErrorNote>{problemText(ledger.error)}</ErrorNote>}
      {ledger.data && months.size === 0 && <p class="note">{t('activityLedger.empty')}</p>}
      {months.size > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones (axe: scrollable-region-focusable)
        <section class="table-scroll" tabIndex={0} aria-label={t('activityLedger.title')}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('activityLedger.month')}</th>
                <th scope="col">{t('activityLedger.held')}</th>
                <th scope="col">{t('activityLedger.served')}</th>
                <th scope="col">{t('activityLedger.hours')}</th>
                <th scope="col">{t('activityLedger.average')}</th>
              </tr>
            </thead>
            <tbody>
              {[...months].map(([month, m]) => (
                <tr key={month}>
                  <th scope="row">{month}</th>
                  <td>{m.held}</td>
                  <td>{m.served}</td>
                  <td>{Math.round(m.hours * 100) / 100}</td>
                  <td>{m.scores.length ? (m.scores.reduce((s, x) => s + x, 0) / m.scores.length).toFixed(1) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  )
}
