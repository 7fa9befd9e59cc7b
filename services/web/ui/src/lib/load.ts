import { useEffect, useRef, useState } from 'preact/hooks'

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

/** Unwraps an openapi-fetch answer: the data, or throws the problem. */
export function must<T>(result: { data?: T; error?: unknown }): T {
  if (result.data !== undefined) return result.data
  throw result.error ?? new Error('no data')
}
