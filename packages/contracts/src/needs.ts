import { z } from 'zod'
import { CityName, Id, Instant, Money, text } from './common.ts'
import { ListingKind } from './listings.ts'

export const NeedStatus = z.enum(['open', 'closed']).meta({ id: 'NeedStatus' })

/** A need as a group writes it: what kind of resource, when, where, for how many, within what budget. */
export const NeedFields = z
  .strictObject({
    kind: ListingKind,
    title: text({ min: 2, max: 80 }),
    description: text({ max: 2000, multiline: true }).default(''),
    tags: z
      .array(text({ min: 1, max: 20 }))
      .max(12)
      .default([]),
    city: CityName,
    district: text({ min: 1, max: 40 }),
    window: z
      .strictObject({ start: Instant, end: Instant })
      .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'end must be after start', path: ['end'] }),
    attendees: z.number().int().min(1).max(100_000).optional(),
    budget: Money.optional().describe('The most the group can pay; absent means it needs a free resource'),
  })
  .meta({ id: 'NeedFields' })
export type NeedFields = z.infer<typeof NeedFields>

/** A need on the board. */
export const Need = NeedFields.extend({
  id: Id,
  organizationId: Id,
  organizationName: z.string().optional().describe('Who posted it, as the board shows it'),
  status: NeedStatus,
  surveyId: Id.optional().describe('The needs survey whose result this need was raised from'),
  version: z.number().int().min(1),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'Need' })
export type Need = z.infer<typeof Need>
