import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

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
