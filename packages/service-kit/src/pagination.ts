import { decodeCursor, encodeCursor } from '@commons/contracts'
import type { z } from 'zod'
import { badRequest } from './errors.ts'

/**
 * The position a page starts after, from a cursor this list gave out (base64url JSON checked by `schema`).
 * Anything else is the 400 problem `invalid_cursor`.
 */
export function readCursor<T extends z.ZodType>(schema: T, cursor: string | undefined): z.infer<T> | undefined {
  if (cursor === undefined) return undefined
  const decoded = decodeCursor(schema, cursor)
  if (!decoded) throw badRequest('The cursor is not one this list gave out.', 'invalid_cursor')
  return decoded
}

/**
 * A page from `limit + 1` fetched rows: the extra row only tells whether there is a next page, whose cursor
 * is the position of the page's last row (`positionOf`, the keyset the query orders by).
 */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  toDto: (row: R) => T,
  positionOf: (last: R) => unknown,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map(toDto),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  }
}
