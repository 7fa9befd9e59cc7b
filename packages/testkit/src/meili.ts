import { randomBytes } from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import type { TestContext } from './database.ts'
import { getStack } from './stack.ts'

/** Where a test may create its Meilisearch indexes. */
export interface TestMeili {
  url: string
  key: string
  /** `t_<random>_`: every index this test creates must start with it. */
  prefix: string
}

/**
 * Meilisearch for this test (or file): the shared server of the run, with an index prefix of its own. When
 * `t` ends, every index whose uid starts with the prefix is deleted (and the deletions awaited).
 */
export async function testMeili(t: TestContext): Promise<TestMeili> {
  const { meiliUrl, meiliKey } = await getStack()
  const prefix = `t_${randomBytes(5).toString('hex')}_`
  t.teardown(() => deleteIndexes(meiliUrl, meiliKey, prefix))
  return { url: meiliUrl, key: meiliKey, prefix }
}

/** Deletes every index whose uid starts with `prefix` and waits until they are gone. */
export async function deleteIndexes(url: string, key: string, prefix: string): Promise<void> {
  const client = new Meilisearch({ host: url, apiKey: key })
  const uids: string[] = []
  const limit = 1000
  for (let offset = 0; ; offset += limit) {
    const page = await client.getRawIndexes({ offset, limit })
    uids.push(...page.results.map((index) => index.uid).filter((uid) => uid.startsWith(prefix)))
    if (page.results.length < limit) break
  }
  const tasks = await Promise.all(uids.map((uid) => client.deleteIndex(uid)))
  if (tasks.length > 0) await client.tasks.waitForTasks(tasks, { timeout: 30_000 })
}
