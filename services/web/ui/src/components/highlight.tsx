import type { ComponentChildren } from 'preact'
import { highlightParts } from '../lib/highlight-parts.ts'

/** Renders a highlight with text nodes and <mark> elements only; nothing reaches innerHTML. */
export function Highlight({ html }: { html: string }): ComponentChildren {
  return <>{highlightParts(html).map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : part.text))}</>
}
