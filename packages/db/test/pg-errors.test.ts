import { sql } from 'kysely'
import t from 'tap'
import { isConnectionError, isExclusionViolation, isPgError, isUniqueViolation } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'

const failure = async (run: () => Promise<unknown>): Promise<unknown> => {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected the statement to fail')
}

t.test('pg error helpers recognise what Postgres raised', async (t) => {
  const { producer: db } = await feedDatabases(t)
  await sql`create table slots (
    id int constraint slots_pk primary key,
    during tstzrange not null,
    constraint slots_no_overlap exclude using gist (during with &&)
  )`.execute(db)
  await sql`insert into slots values (1, tstzrange('2026-12-01 10:00+08', '2026-12-01 11:00+08'))`.execute(db)

  const duplicate = await failure(() =>
    sql`insert into slots values (1, tstzrange('2026-12-02 10:00+08', '2026-12-02 11:00+08'))`.execute(db),
  )
  t.ok(isUniqueViolation(duplicate))
  t.ok(isUniqueViolation(duplicate, 'slots_pk'), 'by constraint name')
  t.notOk(isUniqueViolation(duplicate, 'other_constraint'))
  t.notOk(isExclusionViolation(duplicate))
  t.ok(isPgError(duplicate), 'any code')
  t.ok(isPgError(duplicate, ['23P01', '23505']), 'one of several codes')

  const overlap = await failure(() =>
    sql`insert into slots values (2, tstzrange('2026-12-01 10:30+08', '2026-12-01 11:30+08'))`.execute(db),
  )
  t.ok(isExclusionViolation(overlap, 'slots_no_overlap'))
  t.notOk(isUniqueViolation(overlap))
  t.notOk(isConnectionError(overlap), 'a refused row is not an outage')

  const terminated = await failure(() => sql`select pg_terminate_backend(pg_backend_pid())`.execute(db))
  t.ok(isConnectionError(terminated), 'a terminated backend is a connection error')
  t.notOk(isPgError(new Error('plain')), 'not a Postgres error')
  t.notOk(isPgError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), 'a socket error')
})
