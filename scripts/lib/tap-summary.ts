import { Parser, type Result } from 'tap-parser'

/** A failed assertion (or a test that failed without a failing assertion of its own, e.g. a timeout). */
export interface Failure {
  /** Subtest names from the file down to the assertion. */
  path: string[]
  diag: Record<string, unknown> | null
}

/** The outcome of one test file. */
export interface FileResult {
  /** The file's path, as tap names it (relative to the project root). */
  name: string
  ok: boolean
  /** Set when tap skipped the file (e.g. `no tests found`); such a file counts as no test. */
  skip: string | null
  /** Milliseconds, as reported by tap. */
  time: number | null
  passed: number
  failed: number
  failures: Failure[]
  /** Lines the file printed to stdout outside TAP (console.log). */
  output: string[]
}

/** Test counts of a whole run. */
export interface Totals {
  passed: number
  failed: number
  /** The run was aborted with "Bail out!"; the reason. */
  bailout: string | null
}

interface Node {
  name: string
  parser: Parser
  children: Node[]
  /** Failed assertions of this test itself (subtest closing points included). */
  failedAsserts: Result[]
}

/**
 * Counts TESTS in the TAP stream of `tap --reporter=tap`, where every file is a top-level subtest:
 * - every `t.test` without subtests of its own (a leaf) counts once, passed or failed;
 * - a test or file that failed although none of its leaves did (an assertion directly in it, a timeout,
 *   a crash) counts as one failed test, so a file with no subtests that fails counts as one failed test;
 * - a file that passes without subtests, and skipped or todo tests, count as nothing.
 * Write the stream to `parser`; `onFile` is called as each file completes.
 */
export class TapSummary {
  readonly parser = new Parser()
  readonly files: FileResult[] = []
  readonly done: Promise<Totals>
  #open: Node[] = []

  constructor(onFile: (file: FileResult) => void = () => {}, onOutput: (line: string) => void = () => {}) {
    const pending = new Map<Parser, { node: Node; output: string[] }>()
    this.parser.on('child', (child: Parser) => {
      const node = track(child)
      this.#open.push(node)
      pending.set(child, { node, output: [] })
    })
    // Non-TAP output of every depth surfaces on the root parser only; it belongs to the file being read.
    this.parser.on('extra', (data: string) => {
      const current = this.#open.at(-1)
      const lines = data.replace(/\n$/, '').split('\n')
      if (current) pending.get(current.parser)?.output.push(...lines.map((l) => l.replace(/^ {4,}/, '')))
      else for (const line of lines) onOutput(line)
    })
    this.parser.on('assert', (res: Result) => {
      const entry = [...pending.values()].find((e) => e.node.parser.closingTestPoint === res)
      if (!entry) return
      pending.delete(entry.node.parser)
      this.#open = this.#open.filter((n) => n !== entry.node)
      const file = summarise(entry.node, res, entry.output)
      this.files.push(file)
      onFile(file)
    })
    this.done = new Promise((resolve) => {
      this.parser.on('complete', () => {
        // A file whose process never closed its subtest (the runner was killed) failed.
        for (const { node, output } of pending.values()) {
          const file = summarise(node, null, output)
          this.files.push(file)
          onFile(file)
        }
        pending.clear()
        const bailout = this.parser.bailedOut
        resolve({
          passed: this.files.reduce((n, f) => n + f.passed, 0),
          failed: this.files.reduce((n, f) => n + f.failed, 0),
          bailout: bailout === false ? null : bailout === true ? '' : bailout,
        })
      })
    })
  }
}

function track(parser: Parser): Node {
  const node: Node = { name: parser.name, parser, children: [], failedAsserts: [] }
  parser.on('child', (child: Parser) => node.children.push(track(child)))
  parser.on('assert', (res: Result) => {
    if (!res.ok && !res.todo && !res.skip) node.failedAsserts.push(res)
  })
  return node
}

function summarise(node: Node, res: Result | null, output: string[]): FileResult {
  const ok = res?.ok ?? false
  const skip = res && !res.ok ? null : (directive(res?.skip) ?? directive(res?.todo))
  const counts = tally(node, res, true)
  const failures: Failure[] = []
  collectFailures(node, res, [], failures)
  return {
    name: node.name,
    ok,
    skip,
    time: res?.time ?? null,
    passed: counts.passed,
    failed: counts.failed,
    failures,
    output,
  }
}

function tally(node: Node, res: Result | null, isFile: boolean): { passed: number; failed: number } {
  if (res && (res.skip || res.todo)) return { passed: 0, failed: 0 }
  const ok = res?.ok ?? false
  if (node.children.length === 0) {
    if (isFile) return { passed: 0, failed: ok ? 0 : 1 }
    return { passed: ok ? 1 : 0, failed: ok ? 0 : 1 }
  }
  const sum = { passed: 0, failed: 0 }
  for (const child of node.children) {
    const counts = tally(child, child.parser.closingTestPoint, false)
    sum.passed += counts.passed
    sum.failed += counts.failed
  }
  if (!ok && sum.failed === 0) sum.failed += 1
  return sum
}

/** Failures worth showing: failed assertions, plus failed tests whose failure no descendant explains. */
function collectFailures(node: Node, res: Result | null, path: string[], into: Failure[]): boolean {
  let found = false
  for (const child of node.children) {
    const closing = child.parser.closingTestPoint
    if (closing && (closing.skip || closing.todo)) continue
    if (collectFailures(child, closing, [...path, child.name], into)) found = true
  }
  for (const failed of node.failedAsserts) {
    const child = node.children.find((c) => c.parser.closingTestPoint === failed)
    if (child) continue
    into.push({ path: [...path, failed.name], diag: failed.diag ?? null })
    found = true
  }
  if (!found && !(res?.ok ?? false)) {
    into.push({
      path: path.length > 0 ? path : ['(file)'],
      diag: res?.diag ?? { error: 'no result: the run ended early' },
    })
    found = true
  }
  return found
}

function directive(value: boolean | string | undefined): string | null {
  if (value === undefined || value === false) return null
  return value === true ? '' : value
}
