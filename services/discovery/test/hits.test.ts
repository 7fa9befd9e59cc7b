import t from 'tap'
import type { ListingDocument } from '../src/indexing/documents.ts'
import { POST, PRE, toHit } from '../src/search/hits.ts'

const doc = (title: string) =>
  ({
    id: '0195c0de-0000-7000-8000-000000000001',
    kind: 'venue',
    title,
    description: '',
    tags: [],
    organizationId: '0195c0de-0000-7000-8000-0000000000aa',
    organizationName: '某街道',
    organizationVerified: false,
    city: '上海',
    district: '浦东新区',
    pricing: { model: 'free' },
    capacity: 10,
    ratingAverage: 0,
    ratingCount: 0,
  }) as unknown as ListingDocument

t.test('marker characters written into a title never become <mark>', async (t) => {
  const title = `${PRE}免费${POST}场地`
  // What Meilisearch returns when the query matched 场地: its markers beside the author's.
  const hit = toHit({ ...doc(title), _formatted: { title: `${PRE}免费${POST}${PRE}场地${POST}` } })
  t.notMatch(hit.highlightedTitle, /<mark>/)
  t.equal(hit.highlightedTitle, '免费场地')
})

t.test('an ordinary title is highlighted where the search matched', async (t) => {
  const hit = toHit({ ...doc('社区<会议室>'), _formatted: { title: `社区<${PRE}会议室${POST}>` } })
  t.match(hit.highlightedTitle, /<mark>会议室<\/mark>/)
})
