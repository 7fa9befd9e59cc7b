import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { navigate } from '../lib/router.tsx'
import { Highlight } from './highlight.tsx'

type Suggestion = { key: string; label: ComponentChildren; go: string }

/**
 * The query box with suggestions from `/v1/suggest` (an ARIA 1.2 combobox): arrow keys move through them,
 * Enter picks one (or searches), Escape closes the list.
 */
export function SearchBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const t = useT()
  const [q, setQ] = useState(initial)
  const [items, setItems] = useState<Suggestion[]>([])
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const latest = useRef('')
  useEffect(() => () => clearTimeout(timer.current), [])
  const suggest = (value: string) => {
    clearTimeout(timer.current)
    const query = value.trim()
    latest.current = query
    if (!query) {
      setItems([])
      setOpen(false)
      return
    }
    timer.current = setTimeout(async () => {
      const { data } = await api.GET('/v1/suggest', { params: { query: { q: query, limit: 5 } } })
      if (!data || latest.current !== query) return
      const next: Suggestion[] = [
        ...data.listings.map((l) => ({
          key: `l-${l.id}`,
          label: <Highlight html={l.highlightedTitle || l.title} />,
          go: `/listings/${l.id}`,
        })),
        ...data.tags.map((tag) => ({
          key: `t-${tag.value}`,
          label: t('search.suggestTag', { tag: tag.value, n: tag.count }),
          go: `/search?q=${encodeURIComponent(tag.value)}`,
        })),
      ]
      setItems(next)
      setActive(-1)
      setOpen(next.length > 0)
    }, 150)
  }
  const pick = (s: Suggestion) => {
    setOpen(false)
    navigate(s.go)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault()
      setOpen(true)
      setActive((i) => (i + 1) % items.length)
    } else if (e.key === 'ArrowUp' && items.length) {
      e.preventDefault()
      setOpen(true)
      setActive((i) => (i <= 0 ? items.length - 1 : i - 1))
    } else if (e.key === 'Escape') {
      setOpen(false)
      setActive(-1)
    } else if (e.key === 'Enter' && open && active >= 0 && items[active]) {
      e.preventDefault()
      pick(items[active])
    }
  }
  const expanded = open && items.length > 0
  return (
    <search>
      <form
        class="search-box"
        onSubmit={(e) => {
          e.preventDefault()
          setOpen(false)
          navigate(`/search?q=${encodeURIComponent(q.trim())}`)
        }}
      >
        <label for="q" class="visually-hidden">
          {t('search.label')}
        </label>
        <div class="combo">
          <input
            id="q"
            name="q"
            type="search"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls="q-suggest"
            aria-activedescendant={expanded && active >= 0 ? `q-opt-${active}` : undefined}
            value={q}
            placeholder={t('search.placeholder')}
            autoComplete="off"
            enterKeyHint="search"
            // biome-ignore lint/a11y/noAutofocus: the home page exists to search
            autoFocus={autoFocus}
            onInput={(e) => {
              const value = (e.target as HTMLInputElement).value
              setQ(value)
              suggest(value)
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
          />
          <div id="q-suggest" role="listbox" aria-label={t('search.suggestions')} class="suggest" hidden={!expanded}>
            {items.map((s, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/useFocusableInteractive: the combobox input keeps focus and handles the keys (aria-activedescendant)
              <div
                key={s.key}
                id={`q-opt-${i}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? 'active' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(s)}
              >
                {s.label}
              </div>
            ))}
          </div>
        </div>
        <button type="submit" class="btn btn-primary">
          {t('search.submit')}
        </button>
      </form>
    </search>
  )
}
