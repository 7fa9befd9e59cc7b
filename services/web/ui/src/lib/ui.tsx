import type { ComponentChildren, ComponentType, JSX } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { useT } from './i18n.ts'

let firstPage = true

/**
 * The page's heading: sets the document title and, after client-side navigation, takes focus so screen
 * readers announce the new page and keyboard users start from its top.
 */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · 共享资源超市`
    if (firstPage) firstPage = false
    else ref.current?.focus()
  }, [title])
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  )
}

export function Loading({ label }: { label?: string }) {
  const t = useT()
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  )
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  )
}

export function ErrorNote({ children }: { children: ComponentChildren }) {
  return (
    <p class="error-note" role="alert">
      {children}
    </p>
  )
}

type FieldProps = {
  id: string
  label: string
  error?: string | undefined
  hint?: string | undefined
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => JSX.Element
}

/** A labelled control with its hint and error tied to it by aria-describedby. */
export function Field({ id, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children({
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A page loaded on first visit, so the search page does not carry the forms' code. */
export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded)
    useEffect(() => {
      if (loaded) return
      void load().then((module) => {
        loaded = module.default
        setPage(() => module.default)
      })
    }, [])
    return Page ? <Page {...props} /> : <Loading />
  }
}

/** A value loaded from the API, reloaded when `deps` change. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let live = true
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    )
    return () => {
      live = false
    }
  }, [...deps, tick])
  return { ...state, reload: () => setTick((n) => n + 1) }
}

/**
 * A cursor-paged list: the first page loads when `deps` change, `more()` appends the next one. A page that
 * fails to load keeps what was shown and reports the error, so "load more" can be tried again.
 */
export function usePages<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: unknown[],
): {
  items: T[]
  loading: boolean
  loaded: boolean
  error?: unknown
  hasMore: boolean
  more: () => void
  reload: () => void
} {
  const [state, setState] = useState<{
    items: T[]
    cursor: string | null
    loading: boolean
    loaded: boolean
    error?: unknown
  }>({ items: [], cursor: null, loading: true, loaded: false })
  const [tick, setTick] = useState(0)
  const generation = useRef(0)
  const fetchPage = (cursor: string | undefined, append: boolean) => {
    const mine = ++generation.current
    setState((s) => ({ ...s, loading: true, error: undefined }))
    load(cursor).then(
      (page) =>
        mine === generation.current &&
        setState((s) => ({
          items: append ? [...s.items, ...page.items] : page.items,
          cursor: page.nextCursor,
          loading: false,
          loaded: true,
        })),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, loading: false, error })),
    )
  }
  useEffect(() => fetchPage(undefined, false), [...deps, tick])
  return {
    items: state.items,
    loading: state.loading,
    loaded: state.loaded,
    error: state.error,
    hasMore: state.cursor !== null,
    more: () => {
      if (state.cursor && !state.loading) fetchPage(state.cursor, true)
    },
    reload: () => setTick((n) => n + 1),
  }
}

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

/** Unwraps an openapi-fetch answer: the data, or throws the problem. */
export function must<T>(result: { data?: T; error?: unknown }): T {
  if (result.data !== undefined) return result.data
  throw result.error ?? new Error('no data')
}
