import type { Schema } from '@commons/client'
import { ListingKind } from '@commons/contracts'
import { BarChart } from '../../components/bar-chart.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'

type Overview = Schema<'OrganizationOverview'>
type Cell = Schema<'UnmetDemandCell'>

const KINDS = ListingKind.options

function Figure({ value, label, testId }: { value: string | number; label: string; testId?: string }) {
  return (
    <div class="card">
      <p class="stat">
        <strong data-testid={testId}>{value}</strong> {label}
      </p>
    </div>
  )
}

/** The district × category table: where demand (open needs, survey answers) meets no listing. */
function UnmetTable({ cells }: { cells: Cell[] }) {
  const t = useT()
  const districts = [...new Set(cells.map((c) => c.district))].sort((a, b) => a.localeCompare(b, 'zh-CN'))
  const at = (district: string, kind: string) => cells.find((c) => c.district === district && c.category === kind)
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the wide table scrolls sideways on phones
    <section class="table-scroll" tabIndex={0} aria-labelledby="unmet-title">
      <table class="table compact unmet-table">
        <caption id="unmet-title">{t('overview.unmetTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('survey.district')}</th>
            {KINDS.map((k) => (
              <th scope="col" key={k}>
                {tEnum('kind', k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {districts.map((d) => (
            <tr key={d}>
              <th scope="row">{d}</th>
              {KINDS.map((k) => {
                const c = at(d, k)
                if (!c) return <td key={k}>—</td>
                return (
                  <td key={k} class={c.unmet ? 'unmet' : undefined} data-unmet={c.unmet ? 'true' : undefined}>
                    {t('overview.cell', {
                      needs: c.openNeeds,
                      demand: c.surveyDemand ?? '—',
                      listings: c.listings,
                    })}
                    {c.unmet && <strong class="gap-mark">{t('overview.gap')}</strong>}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t('overview.cellHint')}</p>
    </section>
  )
}

function Dashboard({ o }: { o: Overview }) {
  const t = useT()
  const children = o.organizations.filter((x) => x.depth > 0)
  const demand = KINDS.map((k) => ({
    kind: k,
    n: o.surveyDemand.filter((d) => d.category === k).reduce((sum, d) => sum + (d.answers ?? 0), 0),
  }))
  return (
    <>
      <p class="lead">{t('overview.asOf', { when: formatDateTime(o.asOf) })}</p>
      <section class="section" aria-labelledby="ov-orgs">
        <h2 id="ov-orgs">{t('overview.children', { n: children.length })}</h2>
        <ul class="org-tree">
          {children.map((c) => (
            <li key={c.id} style={{ '--depth': c.depth }}>
              <Link href={`/profiles/${c.id}`}>{c.name ?? c.id}</Link>
            </li>
          ))}
        </ul>
      </section>
      <div class="stat-grid">
        <Figure value={o.listings.published} label={t('overview.listings')} testId="ov-listings" />
        <Figure
          value={`${o.bookings.completedAsProvider} / ${o.bookings.hoursShared}`}
          label={t('overview.shared')}
          testId="ov-shared"
        />
        <Figure
          value={`${o.activities.held} / ${o.activities.peopleServed}`}
          label={t('overview.activities')}
          testId="ov-activities"
        />
        <Figure
          value={o.needs.open}
          label={
            o.needs.averageWaitDays === null
              ? t('overview.openNeeds')
              : t('overview.openNeedsWait', { days: o.needs.averageWaitDays, longest: o.needs.longestWaitDays ?? 0 })
          }
          testId="ov-needs"
        />
      </div>
      <div class="chart-grid">
        <BarChart
          caption={t('overview.listingsByKind')}
          bars={KINDS.map((k) => ({
            label: tEnum('kind', k),
            value: o.listings.byKind[k],
            note: String(o.listings.byKind[k]),
          }))}
        />
        <BarChart
          caption={t('overview.needsByKind')}
          bars={KINDS.map((k) => ({
            label: tEnum('kind', k),
            value: o.needs.byKind[k],
            note: String(o.needs.byKind[k]),
          }))}
        />
        <BarChart
          caption={t('overview.demandByKind')}
          bars={demand.map((d) => ({ label: tEnum('kind', d.kind), value: d.n, note: String(d.n) }))}
        />
      </div>
      <section class="section">
        <h2>{t('overview.unmet')}</h2>
        <UnmetTable cells={o.unmetDemand} />
      </section>
    </>
  )
}

function OverviewPage({ orgId }: { orgId: string }) {
  const t = useT()
  const overview = useLoad(
    async () => must(await api.GET('/v1/overview/organizations/{id}', { params: { path: { id: orgId } } })),
    [orgId],
  )
  const title = overview.data ? t('overview.title', { name: overview.data.name ?? '' }) : t('overview.heading')
  return (
    <section class="overview">
      <PageTitle title={title}>{title}</PageTitle>
      {overview.loading && !overview.data && <Loading />}
      {!overview.loading && !overview.data && <ErrorNote>{t('overview.notFound')}</ErrorNote>}
      {overview.data && <Dashboard o={overview.data} />}
    </section>
  )
}

/** A parent organization's dashboard across the organizations below it (its admins only). */
export default function OverviewRoute({ orgId }: { orgId: string }) {
  return (
    <RequireAuth>
      <OverviewPage orgId={orgId} />
    </RequireAuth>
  )
}
