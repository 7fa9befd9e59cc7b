import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { RatingItem } from '../../components/ratings.tsx'
import { api, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import { must, useLoad } from '../../lib/load.ts'

/** The listing's published ratings, with the provider's replies. */
export function ListingRatings({ listingId }: { listingId: string }) {
  const t = useT()
  const ratings = useLoad(
    async () => must(await api.GET('/v1/ratings', { params: { query: { listingId, limit: 20 } } })),
    [listingId],
  )
  return (
    <section aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t('ratings.title')}</h2>
      {ratings.loading && !ratings.data && <Loading label={t('ratings.loading')} />}
      {ratings.error !== undefined && <ErrorNote>{problemText(ratings.error)}</ErrorNote>}
      {ratings.data && ratings.data.items.length === 0 && <Empty title={t('ratings.empty')} />}
      {ratings.data && ratings.data.items.length > 0 && (
        <ul class="rating-list">
          {ratings.data.items.map((r) => (
            <RatingItem key={r.id} rating={r} />
          ))}
        </ul>
      )}
    </section>
  )
}
