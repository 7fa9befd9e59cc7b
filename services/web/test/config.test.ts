import { parseConfig } from '@commons/service-kit'
import t from 'tap'
import { WebConfig } from '../src/config.ts'

t.test('UPSTREAM_TIMEOUT_SECONDS is a positive number of seconds, not a port', async (t) => {
  t.equal(parseConfig(WebConfig, {}).UPSTREAM_TIMEOUT_SECONDS, 30)
  t.equal(parseConfig(WebConfig, { UPSTREAM_TIMEOUT_SECONDS: '2.5' }).UPSTREAM_TIMEOUT_SECONDS, 2.5)
  t.throws(() => parseConfig(WebConfig, { UPSTREAM_TIMEOUT_SECONDS: '0' }), /UPSTREAM_TIMEOUT_SECONDS/)
  t.throws(() => parseConfig(WebConfig, { UPSTREAM_TIMEOUT_SECONDS: '3600' }), /UPSTREAM_TIMEOUT_SECONDS/)
})
