import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { readFeed } from '../src/index.ts'
import { feedDatabases } from './fixtures/databases.ts'
import { actualState, expectedState, produce } from './fixtures/feed-fixture.ts'

const ENTRY = fileURLToPath(new URL('./fixtures/slow-consumer.ts', import.meta.url))

function spawnConsumer(url: string): { child: ChildProcess; lines: string[]; lineCount: (n: number) => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', ENTRY], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines: string[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
    for (const w of waiters.filter((w) => lines.length >= w.n)) w.resolve()
  })
  const lineCount = (n: number) =>
    new Promise<void>((resolve, reject) => {
      if (lines.length >= n) return resolve()
      waiters.push({ n, resolve })
      child.once('exit', (code) => reject(new Error(`consumer exited (${code}) after ${lines.length} lines`)))
    })
  return { child, lines, lineCount }
}

t.test('a consumer killed mid-batch resumes after restart and applies every event exactly once', async (t) => {
  const { url, producer, consumer: db } = await feedDatabases(t)
  await produce(producer, 60)
  const events = (await readFeed(producer, { limit: 100 })).events

  const first = spawnConsumer(url)
  t.teardown(() => {
    first.child.kill('SIGKILL')
  })
  // Batches of 10: the 15th applied event is in the middle of the second batch.
  await first.lineCount(15)
  first.child.kill('SIGKILL')
  await once(first.child, 'exit')

  const cursor = await db.selectFrom('feedCursors').select('position').executeTakeFirst()
  t.equal(cursor?.position, events[9]!.cursor, 'the first batch committed, the interrupted one did not')
  t.equal((await actualState(db)).applications.length, 10, 'no effect of the interrupted batch survived')

  const second = spawnConsumer(url)
  t.teardown(() => {
    second.child.kill('SIGKILL')
  })
  const [code] = await once(second.child, 'exit')
  t.equal(code, 0, 'the restarted consumer caught up and stopped cleanly')
  t.equal(second.lines.at(-1), 'caught up')
  t.equal(second.lines.length - 1, 50, 'it resumed at the cursor: only the 50 outstanding events were applied')

  t.same(await actualState(db), expectedState(60), 'final state: every event applied exactly once in effect')
  const after = await db.selectFrom('feedCursors').select('position').executeTakeFirst()
  t.equal(after?.position, events.at(-1)!.cursor, 'the cursor is at the end of the feed')
})
