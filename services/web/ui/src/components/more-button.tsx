import { useT } from '../lib/i18n.ts'

/** The button under a paged list; says when everything is shown. */
export function MoreButton({ pages }: { pages: { hasMore: boolean; loading: boolean; more: () => void } }) {
  const t = useT()
  if (!pages.hasMore) return null
  return (
    <p class="more">
      <button type="button" class="btn" disabled={pages.loading} aria-busy={pages.loading} onClick={pages.more}>
        {pages.loading ? t('common.loading') : t('common.more')}
      </button>
    </p>
  )
}
