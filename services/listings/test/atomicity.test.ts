import { sql } from 'kysely'
import t from 'tap'
import { act, counts, createListing, moderator, testDb } from './fixtures.ts'
import { bearer, orgOwner, testApp } from './helpers.ts'

/*
 * The outbox row is written in the transaction of the change: when appending the event fails, the change
 * must not be there either. A trigger makes the events insert fail for one event type at a time.
 */
t.test('a change and its event commit together or not at all', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  await sql`
    create table refused_events (type text primary key);
    create function refuse_event() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from refused_events where type = new.type) then
        raise exception 'event % refused by test', new.type;
      end if;
      return new;
    end $$;
    create trigger refuse_event before insert on events for each row execute function refuse_event();
  `.execute(db)
  const refuse = async (type: string) => {
    await sql`delete from refused_events`.execute(db)
    if (type) await sql`insert into refused_events values (${type})`.execute(db)
  }

  const owner = await orgOwner(app)
  const mod = await moderator(app, databaseUrl, t)
  await app.inject({
    method: 'POST',
    url: `/v1/moderation/organizations/${owner.organization.id}/verify`,
    headers: bearer(mod.token),
  })
  const listing = await createListing(app, owner.token, owner.organization.id)

  t.test('publishing fails when listing.published cannot be appended; the listing stays a draft', async (t) => {
    await refuse('listing.published')
    const before = await counts(db)
    const res = await act(app, owner.token, listing.id, 'submit')
    t.equal(res.statusCode, 500)
    t.equal(res.json().code, 'internal_error')
    const row = await db.selectFrom('listings').selectAll().where('id', '=', listing.id).executeTakeFirstOrThrow()
    t.equal(row.status, 'draft')
    t.equal(row.version, 1)
    t.same(await counts(db), before)
  })

  t.test('verifying fails when organization.updated cannot be appended; no audit row, not verified', async (t) => {
    await refuse('')
    const other = await orgOwner(app, { name: '待认证组织' })
    await refuse('organization.updated')
    const before = await counts(db)
    const res = await app.inject({
      method: 'POST',
      url: `/v1/moderation/organizations/${other.organization.id}/verify`,
      headers: bearer(mod.token),
    })
    t.equal(res.statusCode, 500)
    const org = await db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', other.organization.id)
      .executeTakeFirstOrThrow()
    t.equal(org.verified, false)
    t.same(await counts(db), before)
  })

  t.test('posting a need fails when need.opened cannot be appended; no need row', async (t) => {
    await refuse('need.opened')
    const before = await counts(db)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/needs',
      headers: bearer(owner.token),
      payload: {
        organizationId: owner.organization.id,
        kind: 'venue',
        title: '需要活动室',
        city: '上海',
        district: '浦东新区',
        window: { start: '2026-12-05T09:00:00+08:00', end: '2026-12-05T12:00:00+08:00' },
      },
    })
    t.equal(res.statusCode, 500)
    t.same(await counts(db), before)
  })

  t.test('with the event allowed again, the same submit publishes', async (t) => {
    await refuse('')
    const res = await act(app, owner.token, listing.id, 'submit')
    t.equal(res.statusCode, 200)
    t.equal(res.json().status, 'published')
  })
})
