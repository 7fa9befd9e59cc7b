import { readCursor } from '@commons/service-kit'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { z } from 'zod'
import type { DB } from './schema.ts'

/**
 * A list paged by keyset, newest first: the columns it orders by (all descending, the last one unique so the
 * order is total), the shape of its cursor, and how a cursor and a row map to the columns' values.
 */
export interface Keyset<R, C> {
  columns: readonly string[]
  cursor: z.ZodType<C>
  /** The columns' values of the row a cursor points at. */
  after(cursor: C): readonly unknown[]
  /** The cursor of a page's last row. */
  position(last: R): C
}

/**
 * The rows of one page (plus one, which only tells whether a next page exists; see `pageOf`): the query's
 * rows after the cursor's position, in the keyset's order. A row-value comparison `(a, b) < (x, y)` is the
 * whole "after" condition, so every keyset-paged list shares it.
 */
export function keysetRows<TB extends keyof DB, R, C>(
  query: SelectQueryBuilder<DB, TB, R>,
  keyset: Keyset<R, C>,
  q: { cursor?: string | undefined; limit: number },
): Promise<R[]> {
  const at = readCursor(keyset.cursor, q.cursor)
  const columns = sql.join(keyset.columns.map((c) => sql.ref(c)))
  let page = at === undefined ? query : query.where(sql<boolean>`(${columns}) < (${sql.join([...keyset.after(at)])})`)
  for (const column of keyset.columns) page = page.orderBy(sql.ref(column), 'desc')
  return page.limit(q.limit + 1).execute()
}
