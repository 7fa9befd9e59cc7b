/*
 * The relevance suite (`pnpm eval:search`, also part of `pnpm test`): the graded queries of eval/queries.ts
 * against the demo catalogue, loaded by the real listings service and indexed by discovery, scored by
 * nDCG@10 per category for Commons' search and for a Postgres ILIKE baseline on the same data in the same
 * run. The activity category asks the activities search over the demo activities (announced on a community
 * feed), against an ILIKE over the same activities' announcements. Fails when the overall figure falls more
 * than 0.02 below the one committed in eval/figure.json.
 * EVAL_VERBOSE=1 also lists every query that scores under 1.
 */
import { readFile } from 'node:fs/promises'
import { sql } from 'kysely'
import t from 'tap'
import { formatTable, grade, type JudgedListing, ndcgAt, summarize } from '../eval/ndcg.ts'
import { ACTIVITY_QUERIES, CATEGORIES, type Category, type GradedQuery, QUERIES } from '../eval/queries.ts'
import { demoDiscovery } from './demo-app.ts'

const K = 10
const TOLERANCE = 0.02
const FIGURE = new URL('../eval/figure.json', import.meta.url)

t.test('search relevance on the demo catalogue holds its committed nDCG@10', async (t) => {
  const { app, listingsDb, communityDb, activities } = await demoDiscovery(t, { logLevel: process.env.EVAL_LOG })

  const { rows: listings } = await sql<JudgedListing>`
    select l.id, l.title, l.city, l.district, o.name as "organizationName"
    from listings l join organizations o on o.id = l.organization_id
    where l.status = 'published'`.execute(listingsDb)

  // The baseline a plain SQL search would give: the raw query as a substring of the title, the tags, the
  // description or the organization's name, title matches first.
  const ilike = async (q: string) => {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const { rows } = await sql<{ id: string }>`
      select l.id from listings l join organizations o on o.id = l.organization_id
      where l.status = 'published'
        and (l.title ilike ${pattern} or l.details->>'tags' ilike ${pattern}
          or l.details->>'description' ilike ${pattern} or o.name ilike ${pattern})
      order by (l.title ilike ${pattern}) desc, l.published_at desc
      limit ${K}`.execute(listingsDb)
    return rows.map((r) => r.id)
  }

  const commons: Array<{ category: Category; ndcg: number; q: string; top: string[] }> = []
  const baseline: Array<{ category: Category; ndcg: number }> = []
  const titles = new Map(listings.map((l) => [l.id, l.title]))
  const only = (queries: GradedQuery[]) =>
    process.env.EVAL_ONLY ? queries.filter((x) => x.q === process.env.EVAL_ONLY) : queries
  for (const query of only(QUERIES)) {
    const grades = new Map(listings.map((l) => [l.id, grade(query, l)]))
    const res = await app.inject({
      method: 'GET',
      url: `/v1/search?${new URLSearchParams({ q: query.q, perPage: String(K) })}`,
    })
    t.equal(res.statusCode, 200, `search ${query.q}`)
    const ranking = (res.json().hits as Array<{ id: string }>).map((h) => h.id)
    const ours = ndcgAt(K, ranking, grades)
    const theirs = ndcgAt(K, await ilike(query.q), grades)
    t.not(ours, null, `${query.q} has relevant listings in the demo catalogue`)
    commons.push({
      category: query.category,
      ndcg: ours ?? 0,
      q: query.q,
      top: ranking.slice(0, 3).map((id) => titles.get(id) ?? id),
    })
    baseline.push({ category: query.category, ndcg: theirs ?? 0 })
  }

  // Activities: the same baseline over what community announced (title, description, host's name).
  const ilikeActivities = async (q: string) => {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const { rows } = await sql<{ id: string }>`
      select a->>'id' as id from (
        select payload->'activity' as a, id as seq from community.events where type = 'activity.changed') e
      where a->>'title' ilike ${pattern} or a->>'description' ilike ${pattern}
        or a->>'organizationName' ilike ${pattern}
      order by (a->>'title' ilike ${pattern}) desc, seq
      limit ${K}`.execute(communityDb)
    return rows.map((r) => r.id)
  }
  const activityTitles = new Map(activities.map((a) => [a.id, a.title]))
  for (const query of only(ACTIVITY_QUERIES)) {
    const grades = new Map(activities.map((a) => [a.id, grade(query, a)]))
    const res = await app.inject({
      method: 'GET',
      url: `/v1/search/activities?${new URLSearchParams({ q: query.q, perPage: String(K) })}`,
    })
    t.equal(res.statusCode, 200, `search activities ${query.q}`)
    const ranking = (res.json().hits as Array<{ id: string }>).map((h) => h.id)
    const ours = ndcgAt(K, ranking, grades)
    t.not(ours, null, `${query.q} has relevant activities among the demo activities`)
    commons.push({
      category: query.category,
      ndcg: ours ?? 0,
      q: query.q,
      top: ranking.slice(0, 3).map((id) => activityTitles.get(id) ?? id),
    })
    baseline.push({ category: query.category, ndcg: ndcgAt(K, await ilikeActivities(query.q), grades) ?? 0 })
  }

  const ours = summarize(commons)
  const theirs = summarize(baseline)
  const rows: Array<{ name: string; queries: number; commons: number; baseline: number }> = CATEGORIES.map((c) => ({
    name: c,
    queries: commons.filter((r) => r.category === c).length,
    commons: ours.byCategory[c],
    baseline: theirs.byCategory[c],
  }))
  rows.push({ name: 'overall', queries: commons.length, commons: ours.overall, baseline: theirs.overall })
  const ratio = theirs.overall === 0 ? Number.POSITIVE_INFINITY : ours.overall / theirs.overall
  process.stderr.write(
    `\nnDCG@${K} on the demo catalogue\n${formatTable(rows)}\ncommons / ILIKE overall: ${ratio.toFixed(2)}x\n`,
  )
  if (process.env.EVAL_VERBOSE) {
    for (const r of commons.filter((r) => r.ndcg < 1).sort((a, b) => a.ndcg - b.ndcg)) {
      process.stderr.write(`  ${r.ndcg.toFixed(2)} ${r.category.padEnd(12)} ${r.q} -> ${r.top.join(' / ')}\n`)
    }
  }

  const committed = JSON.parse(await readFile(FIGURE, 'utf8')) as { overall: number }
  t.ok(
    ours.overall >= committed.overall - TOLERANCE,
    `overall nDCG@${K} ${ours.overall.toFixed(3)} is within ${TOLERANCE} of the committed ${committed.overall}`,
  )
})
