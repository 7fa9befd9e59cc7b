import type { ComponentChildren, JSX } from 'preact'
import { createStore, useStore } from './store.ts'

/** The current location (path and query), kept in sync with the History API. */
export const location = createStore({ path: window.location.pathname, search: window.location.search })

window.addEventListener('popstate', () => {
  location.set({ path: window.location.pathname, search: window.location.search })
})

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const url = new URL(to, window.location.origin)
  if (opts.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  location.set({ path: url.pathname, search: url.search })
  if (!opts.replace) window.scrollTo(0, 0)
}

export function useLocation() {
  return useStore(location)
}

export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocation().search)
}

/** Matches `/listings/:id` style patterns; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean)
  const have = path.split('/').filter(Boolean)
  if (want.length !== have.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!
    const h = decodeURIComponent(have[i]!)
    if (w.startsWith(':')) params[w.slice(1)] = h
    else if (w !== h) return undefined
  }
  return params
}

type LinkProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string; children?: ComponentChildren }

/** An anchor that navigates without reloading (ctrl/cmd-click and middle-click still open a new tab). */
export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return
    event.preventDefault()
    navigate(href)
  }
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  )
}
