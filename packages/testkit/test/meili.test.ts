import { randomBytes } from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import t from 'tap'
import { getStack, testMeili } from '../src/index.ts'

t.test('indexes under the prefix are deleted when the test ends, others are kept', async (t) => {
  const { meiliUrl, meiliKey } = await getStack()
  const client = new Meilisearch({ host: meiliUrl, apiKey: meiliKey })
  const outsider = `keep_${randomBytes(4).toString('hex')}`
  await client.createIndex(outsider).waitTask()
  t.teardown(() => client.deleteIndex(outsider).waitTask())

  let prefix = ''
  await t.test('creates indexes', async (t) => {
    const meili = await testMeili(t)
    prefix = meili.prefix
    t.match(prefix, /^t_[0-9a-f]+_$/)
    const own = new Meilisearch({ host: meili.url, apiKey: meili.key })
    await own.createIndex(`${prefix}listings`).waitTask()
    await own
      .index(`${prefix}needs`)
      .addDocuments([{ id: 1, title: '会议室' }])
      .waitTask()
    const { results } = await own.getRawIndexes({ limit: 1000 })
    t.equal(results.filter((i) => i.uid.startsWith(prefix)).length, 2)
  })

  const { results } = await client.getRawIndexes({ limit: 1000 })
  const uids = results.map((i) => i.uid)
  t.same(
    uids.filter((uid) => uid.startsWith(prefix)),
    [],
  )
  t.ok(uids.includes(outsider))
})
