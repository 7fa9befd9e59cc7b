const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
}
const HIGHLIGHT_TAG = /<(\/?)(mark|em)>/gi

/** Turns the service's escaped entities back into characters; the result is rendered as text, never HTML. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity)
}

/**
 * Splits a search highlight into plain-text runs, each marked or not. The search service sends HTML-escaped
 * text with matches wrapped in `<mark>` (Meilisearch's own `_formatted` uses `<em>`): only exactly those
 * tags are read; everything else, a crafted `<img onerror>` included, stays text.
 */
export function highlightParts(html: string): Array<{ text: string; mark: boolean }> {
  const parts: Array<{ text: string; mark: boolean }> = []
  let open = false
  let last = 0
  let buffer = ''
  const flush = () => {
    if (buffer !== '') parts.push({ text: decodeEntities(buffer), mark: open })
    buffer = ''
  }
  for (const match of html.matchAll(HIGHLIGHT_TAG)) {
    buffer += html.slice(last, match.index)
    last = match.index + match[0].length
    const closing = match[1] === '/'
    // An opening tag inside a mark, or a stray closing one, is dropped rather than nested.
    if (closing === open) {
      flush()
      open = !closing
    }
  }
  buffer += html.slice(last)
  flush()
  return parts
}
