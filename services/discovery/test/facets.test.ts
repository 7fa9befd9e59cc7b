import t from 'tap'
import { facetDistribution } from '../src/search/facets.ts'

t.test('facets counted in discovery follow Meilisearch facetDistribution', async (t) => {
  const docs = [
    { kind: 'venue', tags: ['党建', '党建', '会议'], organizationVerified: true, capacity: 40 },
    { kind: 'venue', tags: ['会议'], organizationVerified: false, capacity: 40 },
    { kind: 'expertise', tags: [], organizationVerified: true },
    { kind: null, tags: '讲座' },
  ]
  const got = facetDistribution(docs, ['kind', 'tags', 'organizationVerified', 'capacity', 'amenities'], 50)
  t.same(got.kind, { venue: 2, expertise: 1 }, 'nulls are not values')
  t.same(got.tags, { 会议: 2, 党建: 1, 讲座: 1 }, 'a document counts once per distinct value of an array')
  t.same(got.organizationVerified, { true: 2, false: 1 }, 'booleans as text')
  t.same(got.capacity, { 40: 2 }, 'numbers as text')
  t.same(got.amenities, {}, 'a facet no document has is present and empty')
  t.same(Object.keys(got.tags!), ['会议', '党建', '讲座'], 'most frequent first, then by value')
  const many = Array.from({ length: 60 }, (_, i) => ({ tags: [`t${String(i).padStart(2, '0')}`] }))
  many.push({ tags: ['t59'] })
  const capped = facetDistribution(many, ['tags'], 50).tags!
  t.equal(Object.keys(capped).length, 50, 'maxValuesPerFacet values at most')
  t.equal(Object.keys(capped)[0], 't59', 'the most frequent kept first')
  t.notOk('t58' in capped, 'the least frequent dropped')
})

t.test('facets counted in discovery add to counts the index gave for other documents', async (t) => {
  const got = facetDistribution(
    [
      { kind: 'venue', tags: ['党建'] },
      { kind: 'expertise', tags: [] },
    ],
    ['kind', 'tags', 'city'],
    50,
    {
      kind: { expertise: 3, venue: 1 },
      tags: { 会议: 2 },
    },
  )
  t.same(got.kind, { expertise: 4, venue: 2 })
  t.same(got.tags, { 会议: 2, 党建: 1 })
  t.same(Object.keys(got.kind!), ['expertise', 'venue'], 'ordered by the summed counts')
  t.same(got.city, {}, 'a facet neither side has is present and empty')
})
