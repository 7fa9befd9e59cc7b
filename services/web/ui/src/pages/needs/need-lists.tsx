import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { MoreButton } from '../../components/more-button.tsx'
import { api, auth, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad, usePages } from '../../lib/load.ts'
import { Link } from '../../lib/router.tsx'
import { useStore } from '../../lib/store.ts'
import { NeedItem } from './need-item.tsx'
import type { Need } from './types.ts'

/** Listings a provider can offer: the published ones of every organization the member belongs to. */
const MAX_OWN_LISTINGS = 40

/**
 * Open needs that the member's organizations' published listings fit, each with the listings that fit it,
 * by discovery's matching (kind, district, capacity, budget, free in the need's window).
 */
export function FitsMyListings() {
  const t = useT()
  const me = useStore(auth)
  const fits = useLoad(async () => {
    const own: Array<{ id: string; title: string }> = []
    for (const m of me.memberships) {
      const page = must(
        await api.GET('/v1/organizations/{id}/listings', {
          params: { path: { id: m.organizationId }, query: { status: 'published', limit: MAX_OWN_LISTINGS } },
        }),
      )
      own.push(...page.items.map((l) => ({ id: l.id, title: l.title })))
    }
    const byNeed = new Map<string, { need: Need; listings: Array<{ id: string; title: string }> }>()
    const answers = await Promise.all(
      own.slice(0, MAX_OWN_LISTINGS).map(async (l) => ({
        listing: l,
        needs: must(await api.GET('/v1/matches/listings/{id}', { params: { path: { id: l.id } } })).items,
      })),
    )
    for (const { listing, needs } of answers)
      for (const need of needs) {
        const entry = byNeed.get(need.id) ?? { need, listings: [] }
        entry.listings.push(listing)
        byNeed.set(need.id, entry)
      }
    // Discovery's copy of a need is what its index holds (no poster's name, no status); the board's own
    // copy says who posted it and whether it is still open, which 联系需求方 needs.
    const matches = await Promise.all(
      [...byNeed.values()].map(async (entry) => {
        const { data } = await api.GET('/v1/needs/{id}', { params: { path: { id: entry.need.id } } })
        return data ? { ...entry, need: data } : entry
      }),
    )
    return { own: own.length, matches: matches.filter((m) => m.need.status !== 'closed') }
  }, [me.memberships.map((m) => m.organizationId).join()])
  if (fits.loading && !fits.data) return <Loading />
  if (fits.error !== undefined) return <ErrorNote>{problemText(fits.error)}</ErrorNote>
  if (!fits.data || fits.data.own === 0)
    return (
      <Empty title={t('needs.noOwnListings')}>
        <Link href="/orgs" class="btn">
          {t('nav.orgs')}
        </Link>
      </Empty>
    )
  if (fits.data.matches.length === 0) return <Empty title={t('needs.noFits')} />
  return (
    <ul class="card-list">
      {fits.data.matches.map(({ need, listings }) => (
        <NeedItem key={need.id} need={need} fits={listings} />
      ))}
    </ul>
  )
}

export function AllNeeds({ posted }: { posted: number }) {
  const t = useT()
  const needs = usePages(
    async (cursor) =>
      must(await api.GET('/v1/needs', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [posted],
  )
  if (needs.loading && !needs.loaded) return <Loading />
  if (needs.error !== undefined && !needs.loaded) return <ErrorNote>{t('needs.error')}</ErrorNote>
  if (needs.items.length === 0) return <Empty title={t('needs.empty')} />
  return (
    <>
      <ul class="card-list">
        {needs.items.map((n) => (
          <NeedItem key={n.id} need={n} />
        ))}
      </ul>
      <MoreButton pages={needs} />
    </>
  )
}
