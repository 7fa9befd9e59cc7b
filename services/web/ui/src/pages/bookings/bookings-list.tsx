import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { PageTitle } from '../../components/page-title.tsx'
import { api, auth, problemText } from '../../lib/api.ts'
import { tEnum, useT } from '../../lib/i18n.ts'
import { must, useLoad, usePages } from '../../lib/load.ts'
import { Link, navigate, useQuery } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { BookingCard } from './booking-card.tsx'
import type { Booking } from './types.ts'

export function BookingsList() {
  const t = useT()
  const me = useStore(auth)
  const query = useQuery()
  const asParam = query.get('as')
  const orgId = query.get('org') ?? me.memberships[0]?.organizationId ?? ''
  const status = query.get('status') ?? ''
  // Without a side in the address, open on the one that has something: requests waiting for an answer
  // first, then the member's own bookings, then anything received.
  const landing = useLoad(async () => {
    if (asParam || !orgId) return 'requester' as const
    const some = async (side: 'requester' | 'provider', only?: 'requested') =>
      must(
        await api.GET('/v1/bookings', {
          params: { query: { as: side, organizationId: orgId, limit: 1, ...(only ? { status: only } : {}) } },
        }),
      ).items.length > 0
    const [waiting, mine, received] = await Promise.all([
      some('provider', 'requested'),
      some('requester'),
      some('provider'),
    ])
    return waiting || (!mine && received) ? ('provider' as const) : ('requester' as const)
  }, [asParam, orgId])
  const as = asParam === 'provider' ? 'provider' : asParam ? 'requester' : landing.data
  const list = usePages(
    async (cursor) =>
      orgId && as
        ? must(
            await api.GET('/v1/bookings', {
              params: {
                query: {
                  as,
                  organizationId: orgId,
                  limit: 30,
                  ...(cursor ? { cursor } : {}),
                  ...(status ? { status: status as Booking['status'] } : {}),
                },
              },
            }),
          )
        : { items: [], nextCursor: null },
    [as, orgId, status],
  )
  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams({ as: as ?? 'requester', org: orgId, ...(status ? { status } : {}), ...next })
    for (const [k, v] of [...q]) if (!v) q.delete(k)
    navigate(`/bookings?${q}`, { replace: true })
  }
  const title = as === 'provider' ? t('bookings.titleProvider') : t('bookings.titleRequester')
  const items = list.items
  const now = Date.now()
  const inbox = items.filter((b) => b.status === 'requested')
  const upcoming = items.filter((b) => b.status === 'confirmed' && Date.parse(b.end) >= now)
  const rest = items.filter((b) => !inbox.includes(b) && !upcoming.includes(b))
  const section = (heading: string, list: Booking[], id: string) =>
    list.length > 0 && (
      <section aria-labelledby={id}>
        <h2 id={id}>
          {heading} <span class="count">{list.length}</span>
        </h2>
        <ul class="card-list">
          {list.map((b) => (
            <BookingCard key={`${b.id}:${b.version}`} booking={b} role={[as ?? 'requester']} />
          ))}
        </ul>
      </section>
    )
  if (me.memberships.length === 0)
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <Empty title={t('bookings.noOrg')}>
          <Link href="/orgs" class="btn">
            {t('nav.orgs')}
          </Link>
        </Empty>
      </>
    )
  if (!as) return <Loading />
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <nav class="tabs" aria-label={t('bookings.sides')}>
        {(['requester', 'provider'] as const).map((side) => (
          <Link
            key={side}
            href={`/bookings?as=${side}&org=${orgId}`}
            class="tab"
            aria-current={side === as ? 'page' : undefined}
          >
            {side === 'requester' ? t('bookings.tabRequester') : t('bookings.tabProvider')}
          </Link>
        ))}
      </nav>
      <div class="toolbar">
        {me.memberships.length > 1 && (
          <div class="field">
            <label for="bk-org">{t('book.org')}</label>
            <select id="bk-org" value={orgId} onChange={(e) => go({ org: (e.target as HTMLSelectElement).value })}>
              {me.memberships.map((m) => (
                <option key={m.organizationId} value={m.organizationId}>
                  {m.organizationName}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="bk-status">{t('bookings.filterStatus')}</label>
          <select id="bk-status" value={status} onChange={(e) => go({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('bookings.allStatuses')}</option>
            {[
              'requested',
              'confirmed',
              'completed',
              'cancelled',
              'declined',
              'no_show',
              'pending_payment',
              'expired',
            ].map((s) => (
              <option key={s} value={s}>
                {tEnum('bookingStatus', s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.loading && !list.loaded && <Loading />}
      {list.error !== undefined && (
        <ErrorNote>
          {t('bookings.loadError')} {problemText(list.error)}{' '}
          <button type="button" class="btn btn-quiet" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </ErrorNote>
      )}
      {list.loaded && items.length === 0 && (
        <Empty title={as === 'provider' ? t('bookings.emptyProvider') : t('bookings.emptyRequester')}>
          {as === 'requester' && (
            <Link href="/search" class="btn btn-primary">
              {t('nav.search')}
            </Link>
          )}
        </Empty>
      )}
      {as === 'provider' ? (
        <>
          {section(t('bookings.inbox'), inbox, 'bk-inbox')}
          {section(t('bookings.upcoming'), upcoming, 'bk-upcoming')}
          {section(t('bookings.past'), rest, 'bk-past')}
        </>
      ) : (
        section(t('bookings.all'), items, 'bk-all')
      )}
      <MoreButton pages={list} />
    </>
  )
}
