/**
 * Meta tags a shared link needs before any script runs: chat apps and search engines read the HTML the
 * server answers and never run the app, so listing and organization pages get their title, description
 * and picture (Open Graph) written into index.html on the server.
 */

/** What a page says about itself in a link preview. */
export interface PageMeta {
  title: string
  description: string
  /** Absolute URL of the preview picture. */
  image: string
  /** Absolute URL of the page. */
  url: string
  type: 'website' | 'article' | 'profile'
}

const SITE_NAME = '共享资源超市'
const SITE_DESCRIPTION =
  '党支部、工会、居委会和社会组织把闲置的场地、专长与志愿时间拿出来共享，社区团体按需预约，使用情况公开透明。'
/** The site's own preview picture (in ui/public), for pages without a photo. */
export const DEFAULT_SHARE_IMAGE = '/og-image.png'
/** Enough for every preview we know of (WeChat shows about 60 characters, others about 160). */
const DESCRIPTION_LIMIT = 160
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const LISTING_PATH = new RegExp(`^/listings/(${UUID})/?$`, 'i')
const ORGANIZATION_PATH = new RegExp(`^/(?:profiles|orgs)/(${UUID})/?$`, 'i')
/** A preview is not worth holding the page for: past this the page goes out with the site's own tags. */
const LOOKUP_TIMEOUT_MS = 1500

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function clip(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length <= limit ? flat : `${chars.slice(0, limit - 1).join('')}…`
}

/** A photo as listings return it: a URL, or (with photo variants) an object naming one. */
function photoUrl(photo: unknown): string | undefined {
  // A stored photo is named by its id (a listing's `{id, alt}`, an organization's logo id); its share-sized
  // variant is the preview image.
  if (typeof photo === 'string') return photo.includes('/') ? photo : `/v1/photos/${photo}/share.webp`
  if (photo && typeof photo === 'object') {
    const p = photo as Record<string, unknown>
    if (typeof p.id === 'string') return `/v1/photos/${p.id}/share.webp`
    const variants = p.variants as Record<string, unknown> | undefined
    for (const candidate of [variants?.share, variants?.page, p.url, p.src]) {
      if (typeof candidate === 'string') return candidate
    }
  }
  return undefined
}

async function fetchJson(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) })
    if (!res.ok) {
      await res.body?.cancel()
      return undefined
    }
    return (await res.json()) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** The site's own tags, for every page that is not a listing or an organization (or cannot be read). */
export function siteMeta(origin: string, path: string): PageMeta {
  return {
    title: `${SITE_NAME} · Commons`,
    description: SITE_DESCRIPTION,
    image: new URL(DEFAULT_SHARE_IMAGE, origin).href,
    url: new URL(path, origin).href,
    type: 'website',
  }
}

/**
 * The preview of the page at `path`: a published listing or an organization, read from the listings
 * service as any visitor would (drafts and unknown ids answer 404 there, so they get the site's tags).
 */
export async function pageMeta(listingsUrl: string, origin: string, path: string): Promise<PageMeta> {
  const site = siteMeta(origin, path)
  const absolute = (src: string | undefined) => (src ? new URL(src, origin).href : site.image)
  const listingId = LISTING_PATH.exec(path)?.[1]
  if (listingId) {
    const listing = await fetchJson(`${listingsUrl}/v1/listings/${listingId}`)
    if (listing && listing.status === 'published' && typeof listing.title === 'string') {
      const photos = Array.isArray(listing.photos) ? listing.photos : []
      return {
        title: `${listing.title} · ${SITE_NAME}`,
        description: clip(String(listing.description || listing.title), DESCRIPTION_LIMIT),
        image: absolute(photoUrl(photos[0])),
        url: site.url,
        type: 'article',
      }
    }
    return site
  }
  const organizationId = ORGANIZATION_PATH.exec(path)?.[1]
  if (organizationId) {
    const org = await fetchJson(`${listingsUrl}/v1/organizations/${organizationId}`)
    if (org && typeof org.name === 'string') {
      const place = [org.city, org.district].filter((v) => typeof v === 'string' && v).join('')
      return {
        title: `${org.name} · ${SITE_NAME}`,
        description: clip(String(org.description || [org.name, place].filter(Boolean).join(' · ')), DESCRIPTION_LIMIT),
        image: absolute(photoUrl(org.logo)),
        url: site.url,
        type: 'profile',
      }
    }
  }
  return site
}

/**
 * index.html with the Open Graph tags added; a listing's or organization's page also replaces the
 * template's title and description with its own (the site's pages keep the template's).
 */
export function withMeta(html: string, meta: PageMeta): string {
  const own = meta.type !== 'website'
  const tags = [
    ...(own
      ? [
          `<title>${escapeHtml(meta.title)}</title>`,
          `<meta name="description" content="${escapeHtml(meta.description)}" />`,
        ]
      : []),
    `<meta property="og:site_name" content="${SITE_NAME}" />`,
    `<meta property="og:type" content="${meta.type}" />`,
    `<meta property="og:title" content="${escapeHtml(meta.title)}" />`,
    `<meta property="og:description" content="${escapeHtml(meta.description)}" />`,
    `<meta property="og:image" content="${escapeHtml(meta.image)}" />`,
    `<meta property="og:url" content="${escapeHtml(meta.url)}" />`,
    '<meta name="twitter:card" content="summary_large_image" />',
  ].join('\n    ')
  let page = html.replace(/<meta\s+(?:property="og:[^"]*"|name="twitter:[^"]*")[^>]*>\s*/gi, '')
  if (own) page = page.replace(/<title>[\s\S]*?<\/title>\s*/i, '').replace(/<meta\s+name="description"[^>]*>\s*/gi, '')
  if (page.includes('</head>')) return page.replace('</head>', `  ${tags}\n  </head>`)
  // A template without a head: the tags go right after the doctype, where a parser opens the head itself.
  const doctype = /^\s*<!doctype html>/i.exec(page)?.[0] ?? ''
  return `${doctype}${tags}${page.slice(doctype.length)}`
}
