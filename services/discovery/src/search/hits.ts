import type { SearchHit } from '@commons/contracts'
import type { SearchParams } from 'meilisearch'
import type { ListingDocument } from '../indexing/documents.ts'

// Control characters as highlight tags: the contracts refuse them in listing text, so after HTML-escaping
// the whole string they are replaced by <mark> tags without touching user text. Documents indexed before
// that rule may still carry them; `toHit` does not trust the markers of such a title.
export const PRE = '\u0001'
export const POST = '\u0002'

/**
 * Search parameters that produce a hit: the fields it shows (not the whole description, nor the fields
 * kept only for filters), the highlighted title and the description snippet.
 */
export const HIGHLIGHT: Pick<
  SearchParams,
  | 'attributesToRetrieve'
  | 'attributesToHighlight'
  | 'attributesToCrop'
  | 'cropLength'
  | 'highlightPreTag'
  | 'highlightPostTag'
> = {
  attributesToRetrieve: [
    'id',
    'kind',
    'title',
    'organizationId',
    'organizationName',
    'organizationVerified',
    'organizationBadge',
    'city',
    'district',
    'tags',
    'pricing',
    'capacity',
    'ratingAverage',
    'ratingCount',
    'popularity',
    'lat',
    'lng',
    'coverPhoto',
  ],
  attributesToHighlight: ['title', 'description'],
  attributesToCrop: ['description'],
  cropLength: 24,
  highlightPreTag: PRE,
  highlightPostTag: POST,
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** HTML-escapes `text` and turns the highlight markers into <mark> tags (adjacent matches joined). */
export function markup(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(POST + PRE, '')
    .replaceAll(PRE, '<mark>')
    .replaceAll(POST, '</mark>')
}

const hasMarker = (text: string) => text.includes(PRE) || text.includes(POST)
const stripMarkers = (text: string) => text.replaceAll(PRE, '').replaceAll(POST, '')

export type IndexedHit = ListingDocument & { _formatted?: Partial<Record<keyof ListingDocument, unknown>> }

/** Great-circle distance in kilometres, rounded to 10 m. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return Math.round(2 * 6371 * Math.asin(Math.sqrt(h)) * 100) / 100
}

/** A search hit as the API returns it. */
export function toHit(doc: IndexedHit, near?: { lat: number; lng: number }): SearchHit {
  const formatted = doc._formatted ?? {}
  // A title that itself holds a marker character cannot be told apart from Meilisearch's markers: show it
  // plain, without the characters, rather than let the author choose what is highlighted.
  const title = hasMarker(doc.title)
    ? stripMarkers(doc.title)
    : typeof formatted.title === 'string'
      ? formatted.title
      : doc.title
  const snippet = typeof formatted.description === 'string' ? formatted.description : ''
  const hit: SearchHit = {
    id: doc.id,
    kind: doc.kind,
    title: doc.title,
    highlightedTitle: markup(title),
    snippet: markup(snippet),
    organization: {
      id: doc.organizationId,
      name: doc.organizationName,
      verified: doc.organizationVerified,
      // Documents indexed before scorecards existed have no badge field.
      badge: doc.organizationBadge === true,
    },
    city: doc.city,
    district: doc.district,
    tags: doc.tags,
    pricing: doc.pricing,
    capacity: doc.capacity,
    rating: { average: doc.ratingAverage, count: doc.ratingCount },
  }
  const point = doc.lat !== undefined && doc.lng !== undefined ? { lat: doc.lat, lng: doc.lng } : undefined
  if (point) hit.location = point
  if (doc.coverPhoto) hit.coverPhoto = doc.coverPhoto
  if (near && point) hit.distanceKm = distanceKm(near, point)
  return hit
}
