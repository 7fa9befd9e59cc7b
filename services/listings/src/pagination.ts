import { pageOf, readCursor } from '@commons/service-kit'
import { z } from 'zod'

const IdCursor = z.object({ id: z.uuid() })

/**
 * The id a page starts after. Ids are UUIDv7, so they order by creation time and make a stable cursor
 * that never skips or repeats a row when rows are added between pages.
 */
export function cursorId(cursor: string | undefined): string | undefined {
  return readCursor(IdCursor, cursor)?.id
}

/** A page of rows keyed by their UUIDv7 id, the cursor `cursorId` reads. */
export function pageById<R extends { id: string }, T>(rows: R[], limit: number, toDto: (row: R) => T) {
  return pageOf(rows, limit, toDto, (last) => ({ id: last.id }))
}
