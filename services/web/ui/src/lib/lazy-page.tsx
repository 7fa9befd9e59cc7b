import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Loading } from '../components/feedback.tsx'

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
