import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { z } from 'zod'
import { BaseConfig, ConfigError, DataServiceConfig, parseConfig } from '../src/index.ts'

t.test('defaults fill unset variables and the result is frozen', async (t) => {
  const config = parseConfig(BaseConfig, {})
  t.equal(config.HOST, '127.0.0.1')
  t.equal(config.LOG_LEVEL, 'info')
  t.ok(Object.isFrozen(config))
})

t.test('a wrong value names the variable and what was wrong', async (t) => {
  const error = t.throws(() => parseConfig(BaseConfig, { LOG_LEVEL: 'loud', RATE_LIMIT_MAX: '-3' })) as ConfigError
  t.ok(error instanceof ConfigError)
  t.match(error.message, /LOG_LEVEL/)
  t.match(error.message, /RATE_LIMIT_MAX/)
})

t.test('a missing required variable is named as not set', async (t) => {
  const error = t.throws(() => parseConfig(DataServiceConfig, { SERVICE_TOKEN: 'x'.repeat(32) })) as ConfigError
  t.match(error.message, /DATABASE_URL: required but not set/)
})

t.test('secrets are never echoed in the message', async (t) => {
  const error = t.throws(() =>
    parseConfig(DataServiceConfig, { DATABASE_URL: 'postgres://x@y/z', SERVICE_TOKEN: 'short-secret' }),
  ) as ConfigError
  t.match(error.message, /SERVICE_TOKEN/)
  t.notMatch(error.message, /short-secret/)
})

t.test('booleans and numbers are read from their string forms', async (t) => {
  const schema = z.object({ FLAG: z.stringbool().default(true), N: z.coerce.number() })
  t.same({ ...parseConfig(schema, { FLAG: 'false', N: '4' }) }, { FLAG: false, N: 4 })
})

t.test('a service with a wrong variable refuses to start and names it', async (t) => {
  const server = fileURLToPath(new URL('../../../services/listings/src/server.ts', import.meta.url))
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=development', server], {
    env: {
      PATH: process.env.PATH,
      PORT: 'not-a-port',
      DATABASE_URL: 'postgres://u@127.0.0.1:1/x',
      SERVICE_TOKEN: 'x'.repeat(32),
    },
    encoding: 'utf8',
    timeout: 30_000,
  })
  t.equal(res.status, 78)
  t.match(res.stderr, /Invalid configuration/)
  t.match(res.stderr, /PORT/)
})
