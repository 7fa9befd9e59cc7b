import type { ListingKind, UnmetDemandCell } from '@commons/contracts'

export interface DemandInput {
  /** Open needs of the organizations in scope. */
  needs: ReadonlyArray<{ district: string; kind: ListingKind }>
  /** Survey answers asking for a kind of resource, by the respondent's district. */
  surveyDemand: ReadonlyArray<{ district: string; category: ListingKind; answers: number }>
  /** Published listings by district and kind (anyone's: supply from outside the hierarchy serves too). */
  supply: ReadonlyArray<{ district: string; kind: ListingKind; count: number }>
  /** Counts from 1 to 4 of survey answers are shown as null (the viewer is beyond the surveys' organizations). */
  suppress: boolean
}

/**
 * The district × category table of demand against supply (pure): one cell for every district and kind
 * with demand, unmet when no listing of the kind is published in the district. Sorted unmet first, then by
 * demand, so the places to send resources to come first.
 */
export function unmetDemand(input: DemandInput): UnmetDemandCell[] {
  const cells = new Map<string, { district: string; category: ListingKind; openNeeds: number; survey: number }>()
  const cell = (district: string, category: ListingKind) => {
    const key = `${district}\u0000${category}`
    let c = cells.get(key)
    if (!c) {
      c = { district, category, openNeeds: 0, survey: 0 }
      cells.set(key, c)
    }
    return c
  }
  for (const n of input.needs) cell(n.district, n.kind).openNeeds += 1
  for (const s of input.surveyDemand) if (s.answers > 0) cell(s.district, s.category).survey += s.answers
  const supply = new Map(input.supply.map((s) => [`${s.district}\u0000${s.kind}`, s.count]))
  return [...cells.values()]
    .map((c) => {
      const listings = supply.get(`${c.district}\u0000${c.category}`) ?? 0
      return {
        district: c.district,
        category: c.category,
        openNeeds: c.openNeeds,
        surveyDemand: input.suppress && c.survey > 0 && c.survey < 5 ? null : c.survey,
        listings,
        unmet: listings === 0,
        weight: c.openNeeds + c.survey,
      }
    })
    .sort(
      (a, b) =>
        Number(b.unmet) - Number(a.unmet) ||
        b.weight - a.weight ||
        a.district.localeCompare(b.district) ||
        a.category.localeCompare(b.category),
    )
    .map(({ weight: _, ...rest }) => rest)
}
