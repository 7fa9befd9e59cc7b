import type { Schema } from '@commons/client'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { LedgerChart, LedgerTable } from '../components/ledger-chart.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { api, problemText } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { ActivityLedgerSection } from './activities/activity-ledger.tsx'

/** The platform's open usage ledger: aggregates per month, never personal data; downloadable as CSV. */
export default function LedgerPage() {
  const t = useT()
  const ledger = useLoad(async () => must(await api.GET('/v1/ledger')) as Schema<'Ledger'>, [])
  const months = ledger.data?.months ?? []
  const total = months.reduce(
    (acc, m) => ({
      bookings: acc.bookings + m.completedBookings,
      hours: acc.hours + m.hoursShared,
    }),
    { bookings: 0, hours: 0 },
  )
  return (
    <>
      <PageTitle title={t('ledger.title')}>{t('ledger.title')}</PageTitle>
      <p>{t('ledger.lead')}</p>
      <p>
        <a class="btn" href="/v1/ledger?format=csv" download>
          {t('ledger.csv')}
        </a>
      </p>
      {ledger.loading && !ledger.data && <Loading />}
      {ledger.error !== undefined && (
        <ErrorNote>
          {t('ledger.loadError')} {problemText(ledger.error)}
        </ErrorNote>
      )}
      {ledger.data && months.length === 0 && <Empty title={t('ledger.empty')} />}
      {months.length > 0 && (
        <>
          <dl class="facts">
            <div>
              <dt>{t('ledger.bookings')}</dt>
              <dd>{total.bookings}</dd>
            </div>
            <div>
              <dt>{t('ledger.hours')}</dt>
              <dd>{Math.round(total.hours * 10) / 10}</dd>
            </div>
          </dl>
          <LedgerChart months={months} caption={t('ledger.chartCaption')} />
          <LedgerTable months={months} />
        </>
      )}
      <ActivityLedgerSection />
    </>
  )
}
