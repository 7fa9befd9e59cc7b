import { COMMUNITY_EVENTS, type EvaluationDirection, type Scorecard } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  bumpScorecardVersion,
  directionMeans,
  findFlag,
  recentComments,
  type ScorecardKind,
  sumsBySubject,
  sumsOfSubject,
} from './evaluations.repository.ts'
import { settleFlag } from './flags.ts'
import { BADGE_MIN_COUNT, bayesian, DEFAULT_PRIOR, inTopDecile } from './scorecard.ts'

const PRIMARY: Record<ScorecardKind, EvaluationDirection[]> = {
  organization: ['attendee_to_host', 'volunteer_to_host'],
  member: ['host_to_volunteer', 'attendee_to_volunteer'],
}

/**
 * Applies the 整改中 rule to an organization after its evaluations changed and announces its scorecard
 * (`scorecard.updated`, which search reads); a change of flag is audited and notified (flags.ts).
 */
export async function settleOrganization(trx: Transaction<DB>, organizationId: string, now: Date): Promise<void> {
  await settleFlag(trx, organizationId, now)
  await announceScorecard(trx, 'organization', organizationId, now)
}

/** The platform mean of each direction: the prior every subject's average starts from. */
export const priors = (db: Kysely<DB>): Promise<Map<string, number>> => directionMeans(db)

/** Every subject's Bayesian average over its kind's directions, for the top-decile badge. */
export async function averagesOf(db: Kysely<DB>, kind: ScorecardKind, prior: Map<string, number>) {
  const rows = await sumsBySubject(db, kind, PRIMARY[kind])
  const bySubject = new Map<string, { sum: number; count: number; prior: number }>()
  for (const r of rows) {
    const s = bySubject.get(r.subject) ?? { sum: 0, count: 0, prior: 0 }
    s.sum += r.sum
    s.count += r.count
    bySubject.set(r.subject, s)
  }
  const combinedPrior =
    PRIMARY[kind].reduce((acc, d) => acc + (prior.get(d) ?? DEFAULT_PRIOR), 0) / PRIMARY[kind].length
  return new Map(
    [...bySubject].map(([id, s]) => [id, { average: bayesian(s.sum, s.count, combinedPrior), count: s.count }]),
  )
}

/** A subject's public scorecard: per direction, the Bayesian average and counts; badge; 整改中; comments. */
export async function scorecardOf(db: Kysely<DB>, kind: ScorecardKind, id: string): Promise<Scorecard> {
  const prior = await priors(db)
  const rows = await sumsOfSubject(db, kind, id, PRIMARY[kind])
  const lines = PRIMARY[kind].map((direction) => {
    const r = rows.find((x) => x.direction === direction)
    const p = prior.get(direction) ?? DEFAULT_PRIOR
    return {
      direction,
      average: bayesian(r?.sum ?? 0, r?.count ?? 0, p),
      mean: r && r.count > 0 ? Math.round((r.sum / r.count) * 100) / 100 : null,
      count: r?.count ?? 0,
    }
  })
  const flag = kind === 'organization' ? await findFlag(db, id) : undefined
  const rectifying = flag?.rectifying ?? false
  const averages = await averagesOf(db, kind, prior)
  const mine = averages.get(id)
  const eligible = [...averages.values()].filter((a) => a.count >= BADGE_MIN_COUNT).map((a) => a.average)
  const badge = !rectifying && mine !== undefined && inTopDecile(mine, eligible)
  const comments = await recentComments(db, kind, id, PRIMARY[kind])
  return {
    subject: kind,
    id,
    lines,
    badge,
    rectifying,
    recentComments: comments.map((c) => ({
      direction: c.direction,
      score: c.score,
      comment: c.comment as string,
      at: (c.publishedAt as Date).toISOString(),
    })),
  }
}

/** Announces a subject's scorecard (`scorecard.updated`) with a version of its own. */
export async function announceScorecard(trx: Transaction<DB>, kind: ScorecardKind, id: string, _now: Date) {
  const card = await scorecardOf(trx, kind, id)
  const version = await bumpScorecardVersion(trx, kind, id, { badge: card.badge, rectifying: card.rectifying })
  const primary = card.lines[0]
  await appendEvent(trx, {
    type: COMMUNITY_EVENTS.scorecardUpdated,
    entityId: id,
    version,
    payload: {
      subject: kind,
      id,
      average: primary?.average ?? DEFAULT_PRIOR,
      count: card.lines.reduce((n, l) => n + l.count, 0),
      badge: card.badge,
      rectifying: card.rectifying,
      version,
    },
  })
}
