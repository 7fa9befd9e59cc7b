import { z } from 'zod'

/** RFC 9457 problem details, the body of every error response. `code` is stable and machine-readable. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable error code, e.g. `slot_unavailable`'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Failing fields, for validation errors'),
  })
  .meta({ id: 'Problem' })
export type Problem = z.infer<typeof Problem>

/** Entity ids are UUIDs (v7 where the database generates them, so they sort by creation time). */
export const Id = z.uuid().meta({ id: 'Id' })
export type Id = z.infer<typeof Id>

/** A path parameter object holding one id. */
export const IdParams = z.object({ id: Id })

/** An instant as RFC 3339 with an explicit offset, e.g. `2026-11-21T10:00:00+08:00`. */
export const Instant = z.iso.datetime({ offset: true }).meta({ id: 'Instant' })

/** ISO 4217 currency code; CNY unless stated otherwise. */
export const Currency = z.enum(['CNY', 'HKD', 'USD', 'EUR']).meta({ id: 'Currency' })
export type Currency = z.infer<typeof Currency>

/** The largest amount of minor units a money column holds (Postgres `integer`). */
export const MAX_MONEY_AMOUNT = 2_147_483_647

/** Money as integer minor units (fen for CNY) with a currency; never a float. */
export const Money = z
  .object({
    amount: z.number().int().min(0).max(MAX_MONEY_AMOUNT).describe('Integer minor units (fen for CNY)'),
    currency: Currency,
  })
  .meta({ id: 'Money' })
export type Money = z.infer<typeof Money>

/** A half-open time range [start, end). */
export const TimeRange = z
  .object({ start: Instant, end: Instant })
  .refine((r) => Date.parse(r.start) < Date.parse(r.end), { message: 'end must be after start', path: ['end'] })
  .meta({ id: 'TimeRange' })
export type TimeRange = z.infer<typeof TimeRange>

/** Query of a cursor-paginated list. The cursor is opaque: pass back `nextCursor` as it came. */
export const CursorQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export type CursorQuery = z.infer<typeof CursorQuery>

/** A page of a cursor-paginated list; `nextCursor` is null on the last page. */
export function cursorPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}

/** Query of a page-numbered list (search). */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(50).default(20),
})
export type PageQuery = z.infer<typeof PageQuery>

/** Cursor helpers: a cursor is base64url JSON, opaque to clients. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** Decodes a cursor made by `encodeCursor`; returns undefined when it is malformed. */
export function decodeCursor<T extends z.ZodType>(schema: T, cursor: string): z.infer<T> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Text people write never needs
 * them: the UI sets direction itself, and an override left open reorders whatever is shown after the field
 * (the "Trojan Source" trick in a title that makes a price or a name read backwards). They are stripped.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu

/**
 * A character that shows: anything but white space, separators, controls, format characters (zero-width
 * space and joiners, LRM/RLM, BOM, soft hyphen), Unicode's default-ignorable characters (Hangul fillers,
 * combining grapheme joiner, variation selectors) and the braille blank, which fonts draw as nothing.
 */
const VISIBLE = /[^\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u

/** `value` without bidi overrides: what every human-text field stores. */
export const stripBidiControls = (value: string) => value.replace(BIDI_CONTROLS, '')

/** Whether `value` has at least one character a reader can see. */
export const hasVisibleCharacter = (value: string) => VISIBLE.test(value)

/**
 * Text people write, the one helper every human-text field goes through: a value that is not empty must
 * show something, even where the field may be empty (a title of zero-width spaces or bidi marks is a blank
 * card, and blank-looking text is how spam hides); bidi overrides are stripped and the ends trimmed; no control characters (they are invisible, break CSV and terminals, and U+0001/U+0002
 * are the search highlighter's markers); `multiline` allows line breaks and tabs. `min` and `max` count
 * what remains.
 */
export function text(opts: { min?: number; max: number; multiline?: boolean }) {
  const forbidden = opts.multiline ? /[^\P{Cc}\n\r\t]/u : /\p{Cc}/u
  return z
    .string()
    .refine((value) => value === '' || hasVisibleCharacter(value), {
      message: 'must contain a visible character',
      abort: true,
    })
    .overwrite(stripBidiControls)
    .trim()
    .min(opts.min ?? 0)
    .max(opts.max)
    .refine((value) => !forbidden.test(value), { message: 'must not contain control characters' })
}

/**
 * A city as groups write it, in one spelling: "上海市" and "上海" name the same city, so the formal suffix
 * 市 is dropped (names of two characters or fewer keep it). Search filters and matching compare cities
 * exactly, so every city field goes through this.
 */
export const normalizeCity = (city: string) => (city.length > 2 && city.endsWith('市') ? city.slice(0, -1) : city)
export const CityName = text({ min: 1, max: 40 }).overwrite(normalizeCity)

/** A GB/T 2260 administrative division code: two digits of province, two of city, two of district. */
export const DivisionCode = z
  .string()
  .regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code')
  .meta({ id: 'DivisionCode' })
