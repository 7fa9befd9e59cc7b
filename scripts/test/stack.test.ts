import { connect } from 'node:net'
import { ownerOf, SERVICES } from '@commons/contracts'
import { Validator } from '@seriousme/openapi-schema-validator'
import t from 'tap'
import { startTestStack } from '../lib/test-stack.ts'

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

t.test('pnpm start brings every service up behind the web entry point and SIGTERM stops them all', async (t) => {
  const stack = await startTestStack(t)
  const { base, ports } = stack

  t.test('the merged OpenAPI document is valid OpenAPI 3.1 and names routes of every service', async (t) => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0])
    t.same(result.errors ?? [], [], 'no validation errors')
    t.equal(result.valid, true)
    t.equal(doc.openapi, '3.1.0')
    const owners = new Set(Object.keys(doc.paths).map((p) => ownerOf(p)))
    for (const service of SERVICES) t.ok(owners.has(service), `${service} has documented routes`)
  })

  t.test('/v1 requests reach the owning service through the entry point', async (t) => {
    const me = await fetch(`${base}/v1/me`)
    t.equal(me.status, 401)
    t.equal(((await me.json()) as { code: string }).code, 'unauthenticated')
    t.ok(me.headers.get('x-request-id'))
    const unknown = await fetch(`${base}/v1/nowhere`)
    t.equal(unknown.status, 404)
    t.equal(((await unknown.json()) as { code: string }).code, 'route_not_found')
  })

  t.test('every service reports ready', async (t) => {
    for (const port of Object.values(ports)) {
      const res = await fetch(`http://127.0.0.1:${port}/ready`)
      t.equal(res.status, 200, `port ${port}`)
    }
  })

  t.test('SIGTERM stops everything and leaves nothing listening', async (t) => {
    t.equal(await stack.stop(), 0)
    for (const port of Object.values(ports)) t.equal(await isListening(port), false, `port ${port} closed`)
  })
})
