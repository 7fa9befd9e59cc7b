import { type FeedEvent, LISTINGS_EVENTS, SURVEY_EVENTS, SurveyNeedRequestedPayload } from '@commons/contracts'
import { appendEvent } from '@commons/db'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { findOrganization } from '../organizations/organizations.repository.ts'
import { toNeedDto } from './needs.repository.ts'

/**
 * Applies one community-feed event: a need raised from a survey result goes on the board, with the id
 * community chose, so a redelivered event creates nothing more. The evidence (the result it rests on)
 * heads the description. `need.opened` follows as for any need, so discovery matches it with listings.
 */
export async function applyCommunityEvent(trx: Transaction<DB>, event: FeedEvent): Promise<void> {
  if (event.type !== SURVEY_EVENTS.needRequested) return
  const { needId, organizationId, surveyId, evidence, need } = SurveyNeedRequestedPayload.parse(event.payload)
  // Community only raises needs for organizations it learnt of from this feed, so this holds; skipping
  // keeps one bad event from stopping the feed for good.
  if (!(await findOrganization(trx, organizationId))) return
  const description = [`来自需求调查：${evidence}`, need.description].filter(Boolean).join('\n\n').slice(0, 2000)
  const fields = { ...need, description }
  const row = await trx
    .insertInto('needs')
    .values({
      id: needId,
      organizationId,
      kind: fields.kind,
      city: fields.city,
      district: fields.district,
      details: JSON.stringify(fields),
      closedAt: null,
      surveyId,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (!row) return
  await appendEvent(trx, {
    type: LISTINGS_EVENTS.needOpened,
    entityId: row.id,
    version: row.version,
    payload: { need: toNeedDto(row) },
  })
}
