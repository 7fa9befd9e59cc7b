import type { JSX } from 'preact'
import { useT } from '../../lib/i18n.ts'
import { clearAll, SORTS, type Sort, update } from './url.ts'

/** The sort order, beside the results on wide screens and among the quick chips on phones. */
export function SortSelect({ params, sort, chip }: { params: URLSearchParams; sort: Sort; chip: boolean }) {
  const t = useT()
  return (
    <label class={chip ? 'sort chip' : 'sort'}>
      {t('search.sort')}
      <select value={sort} onChange={(e) => update(params, { sort: (e.target as HTMLSelectElement).value })}>
        {SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`search.sort.${s}`)}
          </option>
        ))}
      </select>
    </label>
  )
}

/**
 * A phone's row of chips above the results: the filter sheet (whole, or opened at districts or kinds), free
 * only in one tap, the sort order and, when anything narrows the search, clearing it.
 */
export function QuickChips({
  params,
  free,
  active,
  sortSelect,
  openSheet,
}: {
  params: URLSearchParams
  free: string | null
  active: number
  sortSelect: JSX.Element
  openSheet: (focus: string | undefined) => void
}) {
  const t = useT()
  return (
    <nav class="quick-chips" aria-label={t('search.quick')}>
      <button type="button" class="chip" aria-haspopup="dialog" onClick={() => openSheet(undefined)}>
        {t('search.filters')}
        {active > 0 && <span class="badge">{active}</span>}
      </button>
      <button
        type="button"
        class={`chip${params.getAll('district').length ? ' is-on' : ''}`}
        aria-haspopup="dialog"
        onClick={() => openSheet('district')}
      >
        {t('search.chip.district')}
      </button>
      <button
        type="button"
        class={`chip${params.getAll('kind').length ? ' is-on' : ''}`}
        aria-haspopup="dialog"
        onClick={() => openSheet('kind')}
      >
        {t('search.chip.kind')}
      </button>
      <button
        type="button"
        class={`chip${free === 'true' ? ' is-on' : ''}`}
        aria-pressed={free === 'true'}
        onClick={() => update(params, { free: free === 'true' ? undefined : 'true' })}
      >
        {t('search.chip.free')}
      </button>
      {sortSelect}
      {active > 0 && (
        <button type="button" class="chip chip-clear" onClick={() => clearAll(params)}>
          {t('search.clearAll')}
        </button>
      )}
    </nav>
  )
}
