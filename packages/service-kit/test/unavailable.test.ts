import { connect, type Socket } from 'node:net'
import t from 'tap'
import { BaseConfig, buildService, isDatabaseConnectionError, parseConfig } from '../src/index.ts'

const config = () => parseConfig(BaseConfig, { LOG_LEVEL: 'silent' })

/** The error a real connection attempt to a port nobody listens on fails with. */
async function refusedConnection(): Promise<Error> {
  const probe = await buildService({ name: 'probe', config: config() })
  await probe.listen({ host: '127.0.0.1', port: 0 })
  const { port } = probe.server.address() as { port: number }
  await probe.close()
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', resolve)
  })
}

t.test('a lost or refused database connection answers 503 database_unavailable with Retry-After', async (t) => {
  const refused = await refusedConnection()
  // What pg raises when a backend is terminated (pg_terminate_backend, a restart): a FATAL 57P01.
  const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
    severity: 'FATAL',
    code: '57P01',
  })
  const poolTimeout = new Error('timeout exceeded when trying to connect')
  const app = await buildService({ name: 'test', config: config() })
  const thrown = { refused, terminated, poolTimeout }
  for (const [name, error] of Object.entries(thrown)) {
    app.get(`/v1/${name}`, { schema: { operationId: name, tags: ['t'] } }, async () => {
      throw error
    })
  }
  app.get('/v1/statement', { schema: { operationId: 'statement', tags: ['t'] } }, async () => {
    throw Object.assign(new Error('relation "nope" does not exist'), { severity: 'ERROR', code: '42P01' })
  })
  t.teardown(() => app.close())

  for (const name of Object.keys(thrown)) {
    const res = await app.inject({ method: 'GET', url: `/v1/${name}` })
    t.equal(res.statusCode, 503, name)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json(), { status: 503, code: 'database_unavailable' })
    t.ok(Number(res.headers['retry-after']) > 0, `${name}: Retry-After`)
  }
  const bug = await app.inject({ method: 'GET', url: '/v1/statement' })
  t.equal(bug.statusCode, 500, 'a failing statement is still our bug, not an outage')
  t.equal(bug.json().code, 'internal_error')
  t.notOk(isDatabaseConnectionError(new Error('duplicate key value violates unique constraint')))
})

t.test(
  'a request arriving while the service shuts down gets 503 problem+json, and the one in flight finishes',
  async (t) => {
    const app = await buildService({ name: 'test', config: config() })
    let release = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let entered = () => {}
    const inFlight = new Promise<void>((resolve) => {
      entered = resolve
    })
    app.get('/v1/slow', { schema: { operationId: 'slow', tags: ['t'] } }, async () => {
      entered()
      await released
      return { done: true }
    })
    app.get('/v1/fast', { schema: { operationId: 'fast', tags: ['t'] } }, async () => ({ done: true }))
    let closing = () => {}
    const closeStarted = new Promise<void>((resolve) => {
      closing = resolve
    })
    // preClose hooks run in order: this one runs after the kit's has marked the service as closing.
    app.addHook('preClose', async () => closing())
    const serverSockets: Socket[] = []
    app.server.on('connection', (socket: Socket) => serverSockets.push(socket))
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as { port: number }

    const client = (path: string, partial: boolean) => {
      const socket = connect(port, '127.0.0.1')
      let received = ''
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        received += chunk
      })
      const ended = new Promise<string>((resolve, reject) => {
        socket.on('close', () => resolve(received))
        socket.on('error', reject)
      })
      const head = `GET ${path} HTTP/1.1\r\nHost: test\r\n`
      socket.write(partial ? head : `${head}\r\n`)
      return { socket, ended, head }
    }
    const slow = client('/v1/slow', false)
    await inFlight
    // A request whose headers are still arriving when the shutdown starts: its connection is not idle, so
    // the server keeps it, and the request is routed once its headers are complete, during the drain.
    const late = client('/v1/fast', true)
    await until(
      () => serverSockets.length === 2 && serverSockets[1]!.bytesRead >= late.head.length,
      'the server to read the first header lines',
    )
    const closed = app.close()
    await closeStarted
    late.socket.write('\r\n')
    const lateAnswer = await late.ended
    release()
    await closed

    t.match(await slow.ended, /^HTTP\/1\.1 200 /, 'the request in flight finished')
    t.match(lateAnswer, /^HTTP\/1\.1 503 /)
    t.match(lateAnswer, /content-type: application\/problem\+json/i)
    t.match(lateAnswer, /retry-after: \d+/i)
    t.match(lateAnswer, /"code":"shutting_down"/)
  },
)

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

t.test('probes, scrapes and feed reads log at debug; an idle service writes nothing at info', async (t) => {
  const lines: Array<{ level: number; msg: string; url?: string }> = []
  const app = await buildService({
    name: 'test',
    config: parseConfig(BaseConfig, { LOG_LEVEL: 'info' }),
    logStream: { write: (line) => lines.push(JSON.parse(line)) },
  })
  app.get('/v1/events', { config: { auth: 'service' }, schema: { hide: true } }, async () => ({ events: [] }))
  app.get('/v1/things', { schema: { operationId: 'things', tags: ['t'] } }, async () => [])
  t.teardown(() => app.close())
  for (const url of ['/health', '/ready', '/metrics', '/v1/events?after=1:1']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url)
  }
  t.same(lines, [], 'nothing at info for polls')
  await app.inject({ method: 'GET', url: '/v1/things' })
  t.same(
    lines.map((line) => line.msg),
    ['incoming request', 'request completed'],
    'an ordinary request is logged at info',
  )
})

t.test('a readiness check failing while an upstream starts is not a warning on every probe', async (t) => {
  // At start the supervisor probes /ready several times a second while upstreams come up; each failed
  // check used to write a warning (hundreds of lines before the stack was ready).
  const lines: Array<{ level: number; msg: string }> = []
  const app = await buildService({
    name: 'test',
    config: parseConfig(BaseConfig, { LOG_LEVEL: 'info' }),
    logStream: { write: (line) => lines.push(JSON.parse(line)) },
  })
  let up = false
  app.readinessChecks.set('upstream', async () => {
    if (!up) throw new Error('connect ECONNREFUSED')
  })
  t.teardown(() => app.close())
  for (let i = 0; i < 20; i++) t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 503)
  t.same(lines, [], 'nothing at info or above while it has failed only briefly')
  up = true
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
  t.same(lines, [], 'no recovery line for a failure that was never reported')
})
