import { readFile } from 'node:fs/promises'
import t from 'tap'
import { type FileResult, TapSummary } from '../lib/tap-summary.ts'

// sample-run.tap is `tap --reporter=tap scripts/test/fixtures/sample/*.test.ts` (repo path replaced by /repo);
// regenerate it the same way when tap's output changes.
const SAMPLE = new URL('./fixtures/sample-run.tap', import.meta.url)

async function summarise(tap: string) {
  const files: FileResult[] = []
  const summary = new TapSummary((file) => files.push(file))
  summary.parser.end(tap)
  const totals = await summary.done
  const byName = (suffix: string) => files.find((f) => f.name.endsWith(suffix))
  return { totals, files, byName }
}

t.test('a run counts leaf tests, not assertions', async (t) => {
  const { totals, files, byName } = await summarise(await readFile(SAMPLE, 'utf8'))
  t.equal(files.length, 6, 'one result per file')
  t.same({ passed: totals.passed, failed: totals.failed }, { passed: 5, failed: 7 })
  t.match(byName('mixed.test.ts'), { ok: false, passed: 4, failed: 4 }, 'skip and todo count as nothing')
  t.match(byName('crash.test.ts'), { ok: false, passed: 1, failed: 1 })
  t.match(byName('top-level-pass.test.ts'), { ok: true, passed: 0, failed: 0 })
  t.match(byName('empty.test.ts'), { ok: true, skip: 'no tests found', passed: 0, failed: 0 })
})

t.test('a failing file without subtests counts as one failed test', async (t) => {
  const { byName } = await summarise(await readFile(SAMPLE, 'utf8'))
  t.match(byName('syntax.test.ts'), { passed: 0, failed: 1 })
  t.match(byName('top-level-only.test.ts'), { passed: 0, failed: 1 })
})

t.test('a test that fails by itself counts once, on top of its leaves', async (t) => {
  const { byName } = await summarise(await readFile(SAMPLE, 'utf8'))
  const mixed = byName('mixed.test.ts')
  t.same(
    mixed?.failures.map((f) => f.path.join(' › ')),
    [
      'fails an assert › one is two',
      'group › leaf fails › should be equivalent',
      'throws › boom',
      'group with own failure › direct failure in group',
    ],
  )
  t.match(mixed?.failures[0]?.diag, { diff: /-2\n\+1/ })
  t.same(mixed?.output, ['some console output'])
})

t.test('a crashed file reports the process outcome as its failure', async (t) => {
  const { byName } = await summarise(await readFile(SAMPLE, 'utf8'))
  const syntax = byName('syntax.test.ts')
  t.equal(syntax?.failures.length, 1)
  t.match(syntax?.failures[0], { path: ['(file)'], diag: { exitCode: 1 } })
})

t.test('buffered subtests are counted like streamed ones', async (t) => {
  const { totals } = await summarise(
    [
      'TAP version 14',
      '1..1',
      '# Subtest: a.test.ts',
      '    ok 1 - passes {',
      '        ok 1 - inner',
      '        1..1',
      '    }',
      '    not ok 2 - fails {',
      '        not ok 1 - inner fails',
      '        1..1',
      '    }',
      '    1..2',
      'not ok 1 - a.test.ts',
      '',
    ].join('\n'),
  )
  t.same({ passed: totals.passed, failed: totals.failed }, { passed: 1, failed: 1 })
})

t.test('a file cut off by the end of the stream is failed', async (t) => {
  const { totals, files } = await summarise(
    [
      'TAP version 14',
      '# Subtest: a.test.ts',
      '    # Subtest: one',
      '        ok 1 - fine',
      '        1..1',
      '    ok 1 - one',
      '',
    ].join('\n'),
  )
  t.equal(files.length, 1)
  t.same({ passed: totals.passed, failed: totals.failed }, { passed: 1, failed: 1 })
})
