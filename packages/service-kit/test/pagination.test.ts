import { decodeCursor, encodeCursor } from '@commons/contracts'
import t from 'tap'
import { z } from 'zod'
import { pageOf, readCursor } from '../src/index.ts'

const Position = z.object({ at: z.iso.datetime(), id: z.number().int() })

t.test('a page of limit + 1 rows has a cursor at its last row; a short page has none', async (t) => {
  const rows = [1, 2, 3].map((id) => ({ id, at: new Date(Date.UTC(2026, 10, 21, 0, id)) }))
  const full = pageOf(
    rows,
    2,
    (r) => r.id,
    (last) => ({ at: last.at.toISOString(), id: last.id }),
  )
  t.same(full.items, [1, 2])
  t.same(decodeCursor(Position, full.nextCursor!), { at: '2026-11-21T00:02:00.000Z', id: 2 })
  const short = pageOf(
    rows.slice(0, 2),
    2,
    (r) => r.id,
    (last) => ({ id: last.id }),
  )
  t.same(short, { items: [1, 2], nextCursor: null })
})

t.test('a cursor is read back, and one the list never gave out is 400 invalid_cursor', async (t) => {
  t.equal(readCursor(Position, undefined), undefined)
  t.same(readCursor(Position, encodeCursor({ at: '2026-11-21T00:02:00.000Z', id: 2 })), {
    at: '2026-11-21T00:02:00.000Z',
    id: 2,
  })
  for (const bad of ['nope', encodeCursor({ id: 'x' })]) {
    t.throws(() => readCursor(Position, bad), { code: 'invalid_cursor', status: 400 }, bad)
  }
})
