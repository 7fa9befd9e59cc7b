import type { Schema } from '@commons/client'
import type { JSX } from 'preact'
import { ListingCard } from '../../components/cards.tsx'
import { Empty, ErrorNote, Loading } from '../../components/feedback.tsx'
import { useT } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { update } from './url.ts'

/**
 * The answer to a search: its count, the hits (kept, dimmed, while the next answer loads), what to try when
 * nothing matched, and the pager.
 */
export function Results({
  params,
  q,
  page,
  result,
  sortSelect,
}: {
  params: URLSearchParams
  q: string
  page: number
  result: { data?: Schema<'SearchResult'>; error?: unknown; loading: boolean }
  /** Wide screens sort from the results' bar; phones from the quick chips. */
  sortSelect?: JSX.Element | undefined
}) {
  const t = useT()
  const data = result.data
  const pages = data ? Math.max(1, Math.ceil(data.total / data.perPage)) : 1
  // Suggestions that only repeat what was typed lead nowhere.
  const suggestions = (data?.suggestions ?? []).filter((s) => s.trim().toLowerCase() !== q.trim().toLowerCase())
  return (
    <section class="results" aria-labelledby="results-title">
      <div class="results-bar">
        <h2 id="results-title" class="results-title" aria-live="polite" tabIndex={-1}>
          {data ? t('search.total', { n: data.total }) : t('search.results')}
        </h2>
        {sortSelect}
      </div>
      {result.loading && !data && <Loading label={t('search.loading')} />}
      {result.error !== undefined && <ErrorNote>{t('search.error')}</ErrorNote>}
      {data?.didYouMean && (
        <p class="hint did-you-mean">
          {t('search.didYouMean')}
          <strong>{data.didYouMean}</strong>
        </p>
      )}
      {data && data.hits.length === 0 && (
        <Empty title={t('search.empty')}>
          <p>{t('search.emptyHint')}</p>
          {suggestions.length > 0 && (
            <>
              <p>{t('search.tryInstead')}</p>
              <ul class="tags">
                {suggestions.map((s) => (
                  <li key={s}>
                    <Link href={`/search?${new URLSearchParams({ q: s })}`}>{s}</Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Empty>
      )}
      {data && data.hits.length === 0 && data.popular && data.popular.length > 0 && (
        <section class="popular" aria-labelledby="popular-title">
          <h3 id="popular-title" class="popular-title">
            {t('search.popular')}
          </h3>
          <div class="card-grid">
            {data.popular.map((hit) => (
              <ListingCard key={hit.id} hit={hit} />
            ))}
          </div>
        </section>
      )}
      {data && data.hits.length > 0 && (
        <div class={`card-grid${result.loading ? ' is-stale' : ''}`} aria-busy={result.loading}>
          {data.hits.map((hit) => (
            <ListingCard key={hit.id} hit={hit} />
          ))}
        </div>
      )}
      {data && pages > 1 && (
        <nav class="pager" aria-label={t('search.pages')}>
          <button
            type="button"
            class="btn"
            disabled={page <= 1}
            onClick={() => update(params, { page: String(page - 1) })}
          >
            {t('search.prev')}
          </button>
          <span>{t('search.pageOf', { page, pages })}</span>
          <button
            type="button"
            class="btn"
            disabled={page >= pages}
            onClick={() => update(params, { page: String(page + 1) })}
          >
            {t('search.next')}
          </button>
        </nav>
      )}
    </section>
  )
}
