import type { Activity, Listing, Need, OrganizationSummary, Pricing } from '@commons/contracts'
import { photoUrl } from '@commons/contracts'
import { findDistrict } from '@commons/places'
import { normalizeScript, pinyinTokens } from '../search/chinese.ts'
import { keywordsIn } from '../search/query.ts'

/** A listing as the listings index holds it: flat, filterable fields plus what a hit shows. */
export interface ListingDocument {
  id: string
  kind: Listing['kind']
  title: string
  description: string
  tags: string[]
  amenities: string[]
  organizationId: string
  organizationName: string
  organizationVerified: boolean
  /** Top-decile scorecard and not 整改中 (scorecard.updated). */
  organizationBadge: boolean
  /** 1 for a badge holder, else 0: a ranking rule after text relevance (see LISTING_SETTINGS). */
  lift: number
  city: string
  district: string
  pricing: Pricing
  pricingModel: 'free' | 'fee'
  /** Fen; 0 when free. */
  price: number
  capacity: number | null
  ratingAverage: number
  ratingCount: number
  popularity: number
  /** Unix seconds. */
  publishedAt: number
  version: number
  minNoticeHours: number
  maxAdvanceDays: number
  minDurationMinutes: number
  maxDurationMinutes: number
  /** Plain numbers, not `_geo`: see search/geo.ts for why. */
  lat?: number
  lng?: number
  /** The first photo, for list and map views. */
  coverPhoto?: string
  /** Title, tags and organization name in simplified script, when written otherwise (searched, not shown). */
  simplified: string
  /**
   * Dictionary words found in title and tags, each indexed on its own: Meilisearch segments 两江智造报告厅
   * otherwise than 报告厅 alone, and a word indexed alone is segmented exactly as the query is.
   */
  keywords: string[]
  /** Pinyin of the words of title, tags, organization name and place (huiyishi), for Latin queries. */
  pinyin: string[]
  /** Initials of the same pinyin (hys). */
  pinyinInitials: string[]
}

/** What the document is built from: the snapshot, the freshest organization facts and the counters. */
export interface DocumentSource {
  listing: Listing
  organization: Pick<OrganizationSummary, 'id' | 'name' | 'verified'> & { badge?: boolean }
  rating: { average: number; count: number }
  popularity: number
}

export function toListingDocument({ listing, organization, rating, popularity }: DocumentSource): ListingDocument {
  // Topics and skills are what people search expertise and volunteers by: they index as tags.
  const extra = listing.kind === 'expertise' ? listing.topics : listing.kind === 'volunteer_time' ? listing.skills : []
  const tags = [...new Set([...listing.tags, ...extra])]
  const named = [listing.title, ...tags, organization.name]
  const simplified = named.map(normalizeScript).filter((text, i) => text !== named[i]!.toLowerCase())
  const pinyin = pinyinTokens([...named, listing.location.district, listing.location.city])
  const doc: ListingDocument = {
    id: listing.id,
    kind: listing.kind,
    title: listing.title,
    description: listing.description,
    tags,
    amenities: listing.kind === 'venue' ? listing.amenities : [],
    organizationId: organization.id,
    organizationName: organization.name,
    organizationVerified: organization.verified,
    organizationBadge: organization.badge === true,
    lift: organization.badge === true ? 1 : 0,
    city: listing.location.city,
    district: listing.location.district,
    pricing: listing.pricing,
    pricingModel: listing.pricing.model,
    price: listing.pricing.model === 'fee' ? listing.pricing.price.amount : 0,
    capacity: listing.kind === 'volunteer_time' ? null : (listing.capacity ?? null),
    ratingAverage: rating.average,
    ratingCount: rating.count,
    popularity,
    publishedAt: Math.floor(Date.parse(listing.publishedAt ?? listing.updatedAt) / 1000),
    version: listing.version,
    minNoticeHours: listing.rules.minNoticeHours,
    maxAdvanceDays: listing.rules.maxAdvanceDays,
    minDurationMinutes: listing.rules.minDurationMinutes,
    maxDurationMinutes: listing.rules.maxDurationMinutes,
    simplified: simplified.join(' '),
    keywords: keywordsIn([listing.title, ...tags].map(normalizeScript).join(' ')),
    pinyin: pinyin.full,
    pinyinInitials: pinyin.initials,
  }
  if (listing.photos[0]) doc.coverPhoto = photoUrl(listing.photos[0].id, 'card')
  if (listing.location.lat !== undefined && listing.location.lng !== undefined) {
    doc.lat = listing.location.lat
    doc.lng = listing.location.lng
  } else if (listing.location.districtCode) {
    // Without a pin the district's centroid stands in, so "near me" still ranks the listing by distance.
    const district = findDistrict(listing.location.districtCode)?.district
    if (district) {
      doc.lat = district.lat
      doc.lng = district.lng
    }
  }
  return doc
}

/** An open need as the needs index holds it. */
export interface NeedDocument {
  id: string
  kind: Need['kind']
  title: string
  description: string
  tags: string[]
  city: string
  district: string
  attendees: number
  /** Fen; -1 when the group needs a free resource. */
  budgetAmount: number
  windowStart: number
  windowEnd: number
  organizationId: string
}

export function toNeedDocument(need: Need): NeedDocument {
  return {
    id: need.id,
    kind: need.kind,
    title: need.title,
    description: need.description,
    tags: need.tags,
    city: need.city,
    district: need.district,
    attendees: need.attendees ?? 1,
    budgetAmount: need.budget?.amount ?? -1,
    windowStart: Math.floor(Date.parse(need.window.start) / 1000),
    windowEnd: Math.floor(Date.parse(need.window.end) / 1000),
    organizationId: need.organizationId,
  }
}

/** Chinese names of target groups and categories, searched alongside the text (老年人 finds `elderly`). */
const TARGET_GROUP_NAMES: Record<Activity['targetGroups'][number], string> = {
  elderly: '老年人',
  youth: '青少年',
  left_behind_children: '留守儿童',
  migrant_workers: '农民工',
  white_collar: '白领',
  party_members: '党员',
  residents: '居民',
}
const CATEGORY_NAMES: Record<Activity['category'], string> = {
  lecture: '讲座',
  outing: '户外',
  companionship: '陪伴',
  training: '培训',
  culture: '文化',
  sports: '运动',
  service: '志愿服务',
  other: '其他',
}

/** An activity as the activities index holds it. */
export interface ActivityDocument {
  id: string
  title: string
  description: string
  category: Activity['category']
  targetGroups: Activity['targetGroups']
  /** Chinese names of the target groups and the category, searched. */
  audience: string[]
  organizationId: string
  organizationName: string
  organizationBadge: boolean
  lift: number
  city: string | null
  district: string
  placeTitle: string | null
  /** Unix seconds. */
  start: number
  end: number
  startIso: string
  endIso: string
  signUpDeadline: string
  capacity: number
  volunteerPlaces: number
  volunteerSkills: string[]
  hasVolunteerPlaces: boolean
  simplified: string
  keywords: string[]
  pinyin: string[]
  pinyinInitials: string[]
}

/** The document of a listed activity: the same Chinese pipeline as listings (script, keywords, pinyin). */
export function toActivityDocument(activity: Activity, city: string | null, badge: boolean): ActivityDocument {
  const audience = [...activity.targetGroups.map((g) => TARGET_GROUP_NAMES[g]), CATEGORY_NAMES[activity.category]]
  const named = [activity.title, ...activity.volunteerSkills, activity.organizationName]
  const simplified = named.map(normalizeScript).filter((text, i) => text !== named[i]!.toLowerCase())
  const places = [activity.place.district, activity.place.title ?? '', city ?? ''].filter((p) => p !== '')
  const pinyin = pinyinTokens([...named, ...audience, ...places])
  return {
    id: activity.id,
    title: activity.title,
    description: activity.description,
    category: activity.category,
    targetGroups: activity.targetGroups,
    audience,
    organizationId: activity.organizationId,
    organizationName: activity.organizationName,
    organizationBadge: badge,
    lift: badge ? 1 : 0,
    city,
    district: activity.place.district,
    placeTitle: activity.place.title,
    start: Math.floor(Date.parse(activity.start) / 1000),
    end: Math.floor(Date.parse(activity.end) / 1000),
    startIso: activity.start,
    endIso: activity.end,
    signUpDeadline: activity.signUpDeadline,
    capacity: activity.capacity,
    volunteerPlaces: activity.volunteerPlaces,
    volunteerSkills: activity.volunteerSkills,
    hasVolunteerPlaces: activity.volunteerPlaces > 0,
    simplified: simplified.join(' '),
    keywords: keywordsIn([activity.title, ...activity.volunteerSkills].map(normalizeScript).join(' ')),
    pinyin: pinyin.full,
    pinyinInitials: pinyin.initials,
  }
}
