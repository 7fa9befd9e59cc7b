import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, auth } from '../../lib/api.ts'
import { formatDateTime, tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'

function Surveys({ orgId }: { orgId: string }) {
  const t = useT()
  const me = useStore(auth)
  const role = me.memberships.find((m) => m.organizationId === orgId)?.role
  const admin = role === 'owner' || role === 'admin'
  const surveys = useLoad(
    async () => must(await api.GET('/v1/surveys', { params: { query: { organizationId: orgId } } })),
    [orgId],
  )
  return (
    <section class="survey-list">
      <div class="section-head">
        <PageTitle title={t('survey.listTitle')}>{t('survey.listTitle')}</PageTitle>
        {admin && (
          <Link href={`/orgs/${orgId}/surveys/new`} class="btn btn-primary">
            {t('survey.new')}
          </Link>
        )}
      </div>
      <p>
        <Link href={`/orgs/${orgId}`}>{t('survey.backToOrg')}</Link>
      </p>
      {surveys.loading && !surveys.data && <Loading />}
      {surveys.error !== undefined && <ErrorNote>{t('survey.listFailed')}</ErrorNote>}
      {surveys.data && surveys.data.items.length === 0 && <Empty title={t('survey.none')} />}
      {surveys.data && surveys.data.items.length > 0 && (
        <ul class="card-list">
          {surveys.data.items.map((s) => (
            <li key={s.id} class="card listing-row">
              <div>
                <Link href={`/surveys/${s.id}/results`} class="card-title">
                  {s.title}
                </Link>
                <p>
                  <span class={`status status-${s.status}`}>{tEnum('surveyStatus', s.status)}</span>
                  {s.open && ` · ${t('survey.openNow')}`}
                  {s.closesAt && ` · ${t('survey.closesOn', { when: formatDateTime(s.closesAt) })}`}
                </p>
              </div>
              {s.status === 'published' && (
                <div class="actions">
                  <Link href={s.link} class="btn btn-quiet">
                    {t('survey.toForm')}
                  </Link>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** An organization's surveys, for its members. */
export default function SurveyListPage({ orgId }: { orgId: string }) {
  return (
    <RequireAuth>
      <Surveys orgId={orgId} />
    </RequireAuth>
  )
}
