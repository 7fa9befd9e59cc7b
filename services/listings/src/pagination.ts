import { decodeCursor, encodeCursor } from '@commons/contracts'
import { badRequest } from '@commons/service-kit'
import { z } from 'zod'

const IdCursor = z.object({ id: z.uuid() })

/**
 * The id a page starts after. Ids are UUIDv7, so they order by creation time and make a stable cursor
 * that never skips or repeats a row when rows are added between pages.
 */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined
  const decoded = decodeCursor(IdCursor, cursor)
  if (!decoded) throw badRequest('The cursor is not one this list gave out.', 'invalid_cursor')
  return decoded.id
}

/** A page from `limit + 1` fetched rows: the extra row only tells whether there is a next page. */
export function pageOf<R extends { id: string }, T>(rows: R[], limit: number, toDto: (row: R) => T) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map(toDto),
    nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null,
  }
}
