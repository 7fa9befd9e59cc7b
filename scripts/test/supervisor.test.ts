import { connect } from 'node:net'
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

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`)
}

t.test('pnpm start restarts a killed service and stops cleanly on Ctrl-C to its process group', async (t) => {
  const stack = await startTestStack(t)
  const before = await stack.pids()
  t.ok(before.bookings, 'the supervised pids are published')

  process.kill(before.bookings as number, 'SIGKILL')
  const after = await until('bookings was not started again', async () => {
    const now = await stack.pids()
    return now.bookings && now.bookings !== before.bookings ? now : undefined
  })
  await until('bookings did not answer /ready again', async () => {
    const res = await fetch(`http://127.0.0.1:${stack.ports.bookings}/ready`)
    return res.ok ? true : undefined
  })
  t.match(stack.output(), /bookings exited \(signal SIGKILL\); restarting in \d+ ms/, 'one line says so')
  t.equal(after.listings, before.listings, 'the other services kept running')
  t.equal(after.web, before.web)
  const listed = await fetch(`http://127.0.0.1:${stack.ports.web}/ready`)
  t.equal(listed.status, 200, 'the entry point is ready again')

  const code = await stack.interrupt()
  t.equal(code, 0, 'Ctrl-C is a clean stop')
  t.notMatch(stack.output(), /^\s+at .+:\d+:\d+\)?$/m, 'no stack traces')
  t.match(stack.output(), /stopping services[\s\S]*stopped/, 'services first, then the rest')
  for (const port of Object.values(stack.ports)) t.equal(await isListening(port), false, `port ${port} closed`)
})
