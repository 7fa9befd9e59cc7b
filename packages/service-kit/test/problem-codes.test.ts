import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { isProblemCode, PROBLEM_CODES } from '@commons/contracts'
import t from 'tap'
import ts from 'typescript'
import { badRequest, conflict, forbidden, notFound, problem, serviceUnavailable, unauthorized } from '../src/index.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/** Where a factory takes its code, its status, and the code it raises without one. */
const FACTORIES: Record<string, { arg: number; status: number | null; fallback?: string }> = {
  problem: { arg: 0, status: null },
  conflict: { arg: 0, status: 409 },
  unprocessable: { arg: 0, status: 422 },
  serviceUnavailable: { arg: 0, status: 503 },
  badRequest: { arg: 1, status: 400, fallback: 'bad_request' },
  unauthorized: { arg: 1, status: 401, fallback: 'unauthenticated' },
  forbidden: { arg: 1, status: 403, fallback: 'forbidden' },
}

/** Files that raise codes they compute: the factories themselves, and the mapping of Fastify's own errors. */
const COMPUTED_CODES = new Set(['packages/service-kit/src/errors.ts', 'packages/service-kit/src/problem.ts'])

interface Raised {
  code: string
  status: number | null
  at: string
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(full)
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full
  }
}

/** Every problem code raised in the source of every service and package, with the status it is raised with. */
function raisedCodes(): Raised[] {
  const raised: Raised[] = []
  const roots = ['services', 'packages'].flatMap((top) =>
    readdirSync(path.join(ROOT, top)).map((name) => path.join(ROOT, top, name, 'src')),
  )
  for (const root of roots) {
    let files: string[]
    try {
      files = [...sourceFiles(root)]
    } catch {
      continue
    }
    for (const file of files) {
      const relative = path.relative(ROOT, file)
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
      const record = (code: ts.Expression | undefined, status: number | null, node: ts.Node, fallback?: string) => {
        const at = `${relative}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
        if (code && ts.isStringLiteralLike(code)) raised.push({ code: code.text, status, at })
        else if (!code && fallback) raised.push({ code: fallback, status, at })
        else if (!COMPUTED_CODES.has(relative)) raised.push({ code: `(computed: ${code?.getText()})`, status, at })
      }
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && node.expression.getText() === 'AppError') {
          const [code, status] = node.arguments ?? []
          record(code, status && ts.isNumericLiteral(status) ? Number(status.text) : -1, node)
        } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
          const factory = FACTORIES[node.expression.text]
          if (factory) record(node.arguments[factory.arg], factory.status, node, factory.fallback)
          // testkit's Stripe double has a `notFound` of its own, with no argument.
          if (node.expression.text === 'notFound' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
            raised.push({ code: `${node.arguments[0].text}_not_found`, status: 404, at: relative })
          }
        }
        ts.forEachChild(node, visit)
      }
      visit(source)
    }
  }
  return raised
}

t.test('every problem code raised in any service is in the catalogue, with the catalogue status', async (t) => {
  const raised = raisedCodes()
  t.ok(raised.length > 50, `the scan finds the codes (${raised.length})`)
  const wrong = raised.filter(
    (r) =>
      !isProblemCode(r.code) || (r.status !== null && r.status !== PROBLEM_CODES[r.code as keyof typeof PROBLEM_CODES]),
  )
  t.same(
    wrong.map((r) => `${r.code} ${r.status ?? ''} at ${r.at}`),
    [],
    'codes missing from PROBLEM_CODES in @commons/contracts, or raised with another status',
  )
})

t.test('the factories raise each code with its catalogue status', async (t) => {
  t.equal(conflict('payment_not_offline', 'x').status, 409)
  t.equal(problem('stripe_not_configured').status, 503)
  t.equal(notFound('listing', 'l1').code, 'listing_not_found')
  t.equal(notFound('listing').status, 404)
  t.equal(badRequest('x').code, 'bad_request')
  t.equal(unauthorized().status, 401)
  t.equal(forbidden(undefined, 'not_a_member').status, 403)
  t.equal(serviceUnavailable('search_unavailable', 'x').extras.headers?.['retry-after'], '5')
})
