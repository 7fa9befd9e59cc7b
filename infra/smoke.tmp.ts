import { ensureStack, freePort } from '@commons/infra'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
const dir = mkdtempSync(path.join(tmpdir(), 'commons-smoke-'))
console.log('SIGINT listeners before', process.listenerCount('SIGINT'), process.listenerCount('beforeExit'))
let t0 = Date.now()
const stack = await ensureStack({ dataDir: dir, pgPort: await freePort(), meiliPort: await freePort(), persistent: process.argv[2] !== 'keep', })
console.log('started in', Date.now() - t0, 'ms', stack.databaseUrl, stack.meiliUrl)
console.log('SIGINT listeners after', process.listenerCount('SIGINT'), process.listenerCount('beforeExit'), process.listenerCount('exit'))
const c = new pg.Client(stack.databaseUrl); await c.connect()
console.log((await c.query("select extname from pg_extension")).rows, (await c.query('show server_encoding')).rows, (await c.query("select upper('ä中')")).rows)
await c.end()
t0 = Date.now()
await stack.stop()
console.log('stopped in', Date.now() - t0, 'ms')
