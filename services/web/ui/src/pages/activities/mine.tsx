import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, auth, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { ActivityCard } from './activity-card.tsx'
import { CheckInCode, RegistrationStatus } from './my-registration.tsx'
import { ActivityTabs } from './tabs.tsx'
import { hasEnded } from './types.ts'

/** The person's volunteer time credits: activities served count as well as volunteer bookings. */
function MyCredits({ userId }: { userId: string }) {
  const t = useT()
  const credits = useLoad(
    async () => must(await api.GET('/v1/time-credits/members/{id}', { params: { path: { id: userId } } })),
    [userId],
  )
  return (
    <section aria-labelledby="my-credits">
      <h2 id="my-credits">{t('mine.credits')}</h2>
      {credits.loading && !credits.data && <Loading />}
      {credits.error !== undefined && <ErrorNote>{problemText(credits.error)}</ErrorNote>}
      {credits.data && (
        <dl class="facts">
          <div>
            <dt>{t('credits.balance')}</dt>
            <dd data-testid="credits-balance">{t('credits.hours', { n: credits.data.balanceHours })}</dd>
          </div>
          <div>
            <dt>{t('credits.given')}</dt>
            <dd>{t('credits.hours', { n: credits.data.givenHours })}</dd>
          </div>
          <div>
            <dt>{t('mine.fromActivities')}</dt>
            <dd>{credits.data.entries.filter((e) => e.activityId).length}</dd>
          </div>
        </dl>
      )}
      <p>
        <Link href={`/volunteers/${userId}`}>{t('mine.myScorecard')}</Link>
      </p>
    </section>
  )
}

function MyActivities() {
  const t = useT()
  const me = useStore(auth)
  const mine = useLoad(async () => must(await api.GET('/v1/activities/mine')), [])
  const items = mine.data?.items ?? []
  return (
    <>
      <PageTitle title={t('mine.title')}>{t('mine.title')}</PageTitle>
      <ActivityTabs current="mine" />
      {mine.loading && !mine.data && <Loading />}
      {mine.error !== undefined && <ErrorNote>{problemText(mine.error)}</ErrorNote>}
      {mine.data && items.length === 0 && (
        <Empty title={t('mine.empty')}>
          <Link href="/activities">{t('mine.browse')}</Link>
        </Empty>
      )}
      <ul class="card-list">
        {items.map(({ activity, registration }) => (
          <li key={registration.id} class="my-activity" data-activity={activity.id}>
            <ActivityCard activity={activity} />
            <RegistrationStatus registration={registration} />
            {registration.status === 'confirmed' && !registration.checkedInAt && !hasEnded(activity) && (
              <details class="qr-details">
                <summary>{t('mine.showCode')}</summary>
                <MyCode activityId={activity.id} />
              </details>
            )}
          </li>
        ))}
      </ul>
      {me.user && <MyCredits userId={me.user.id} />}
    </>
  )
}

/** The QR code is drawn by the API for one sign-up at a time, so it loads when opened. */
function MyCode({ activityId }: { activityId: string }) {
  const mine = useLoad(
    async () => must(await api.GET('/v1/activities/{id}/registrations/me', { params: { path: { id: activityId } } })),
    [activityId],
  )
  if (!mine.data) return mine.error !== undefined ? <ErrorNote>{problemText(mine.error)}</ErrorNote> : <Loading />
  return <CheckInCode registration={mine.data} />
}

/** 我的活动: the person's sign-ups with their check-in QR codes, and their time credits. */
export default function MyActivitiesPage() {
  return (
    <RequireAuth>
      <MyActivities />
    </RequireAuth>
  )
}
