import { Conversation } from '../../components/conversation.tsx'
import { ErrorNote, Loading } from '../../components/feedback.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { RequireAuth } from '../../components/require-auth.tsx'
import { api, auth, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { BookedPage } from './booked.tsx'
import { BookingCard } from './booking-card.tsx'
import { BookingsList } from './bookings-list.tsx'
import type { Role } from './types.ts'

function BookingDetail({ id }: { id: string }) {
  const t = useT()
  const me = useStore(auth)
  const booking = useLoad(async () => must(await api.GET('/v1/bookings/{id}', { params: { path: { id } } })), [id])
  if (booking.loading && !booking.data) return <Loading />
  if (!booking.data)
    return (
      <>
        <PageTitle title={t('bookings.detailTitle')}>{t('bookings.detailTitle')}</PageTitle>
        <ErrorNote>{problemText(booking.error)}</ErrorNote>
      </>
    )
  const b = booking.data
  const orgs = new Set(me.memberships.map((m) => m.organizationId))
  const role: Role[] = []
  if (orgs.has(b.requesterOrganizationId)) role.push('requester')
  if (orgs.has(b.providerOrganizationId)) role.push('provider')
  if (me.moderator) role.push('moderator')
  return (
    <>
      <PageTitle title={t('bookings.detailTitle')}>{t('bookings.detailTitle')}</PageTitle>
      <p>
        <Link href="/bookings">{t('bookings.backToList')}</Link>
      </p>
      <ul class="card-list">
        <BookingCard key={`${b.id}:${b.version}`} booking={b} role={role} detail />
      </ul>
      {role.includes('requester') || role.includes('provider') ? (
        <Conversation
          subject={{ type: 'booking', id: b.id }}
          organizationId={role.includes('provider') ? b.providerOrganizationId : b.requesterOrganizationId}
        />
      ) : null}
    </>
  )
}

export default function BookingsPage({ id, path }: { id?: string; path: string }) {
  return (
    <RequireAuth>
      {id && path.endsWith('/booked') ? <BookedPage id={id} /> : id ? <BookingDetail id={id} /> : <BookingsList />}
    </RequireAuth>
  )
}
