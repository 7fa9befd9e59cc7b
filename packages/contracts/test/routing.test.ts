import t from 'tap'
import { DEFAULT_PORTS, ownerOf, prefixesOf, ROUTES, SERVICES } from '../src/index.ts'

t.test('every prefix of DESIGN.md has exactly one owner', async (t) => {
  t.equal(ownerOf('/v1/search?q=会议室'), 'discovery')
  t.equal(ownerOf('/v1/listings/abc/submit'), 'listings')
  t.equal(ownerOf('/v1/time-credits/members/x'), 'bookings')
  t.equal(ownerOf('/v1/unknown'), undefined)
  t.equal(ownerOf('/health'), undefined)
})

t.test('prefixesOf partitions the table among the services', async (t) => {
  const all = SERVICES.flatMap((s) => prefixesOf(s))
  t.equal(all.length, Object.keys(ROUTES).length)
  t.equal(new Set(all).size, all.length)
  t.ok(prefixesOf('listings').includes('/v1/auth'))
})

t.test('default ports are distinct', async (t) => {
  t.equal(new Set(Object.values(DEFAULT_PORTS)).size, Object.keys(DEFAULT_PORTS).length)
})
