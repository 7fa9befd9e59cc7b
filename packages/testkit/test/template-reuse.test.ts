import t from 'tap'
import { testDatabase } from '../src/index.ts'
import { preparedCount, prepareTemplate, TEMPLATE, withDb } from './fixtures/prepare.ts'

// Run together with database.test.ts (as `pnpm test` does), this file is a second process of the same run:
// it must clone the template the other one built, or build it if it comes first, never both.
t.test('another test file of the run clones the same template', async (t) => {
  const url = await testDatabase(t, { template: TEMPLATE, prepare: prepareTemplate })
  const rows = await withDb(url, (db) => db.query('SELECT count(*)::int AS n FROM prepared'))
  t.equal(rows.rows[0].n, 1)
  t.equal(await preparedCount(), 1, 'prepare ran once for this template in this run')
})
