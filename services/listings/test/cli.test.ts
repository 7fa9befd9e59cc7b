import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { testDb } from './fixtures.ts'
import { signUp, testApp } from './helpers.ts'

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

/** Runs the moderator command line as an operator would; resolves with its exit code and output. */
async function moderatorCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=development', CLI, 'moderator', ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

t.test('moderator grant and revoke on the command line', async (t) => {
  const { app, databaseUrl } = await testApp(t)
  const db = testDb(t, databaseUrl)
  const user = await signUp(app)
  const flag = async () =>
    (await db.selectFrom('users').select('moderator').where('id', '=', user.user.id).executeTakeFirstOrThrow())
      .moderator

  const grant = await moderatorCli(['grant', user.user.email.toUpperCase()], { DATABASE_URL: databaseUrl })
  t.equal(grant.code, 0, grant.stderr)
  t.match(grant.stdout, /is now a moderator/)
  t.equal(await flag(), true)

  const revoke = await moderatorCli(['revoke', user.user.email], { DATABASE_URL: databaseUrl })
  t.equal(revoke.code, 0, revoke.stderr)
  t.equal(await flag(), false)
  const audit = await db.selectFrom('auditLog').select(['action', 'actorId']).orderBy('id').execute()
  t.same(audit, [
    { action: 'moderator.grant', actorId: null },
    { action: 'moderator.revoke', actorId: null },
  ])

  const [unknown, usage, noDb] = await Promise.all([
    moderatorCli(['grant', 'nobody@example.org'], { DATABASE_URL: databaseUrl }),
    moderatorCli(['promote', user.user.email], { DATABASE_URL: databaseUrl }),
    moderatorCli(['grant', user.user.email], {}),
  ])
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /No account with email/)

  t.equal(usage.code, 64)
  t.match(usage.stderr, /usage: moderator grant/)

  t.equal(noDb.code, 78, 'a missing DATABASE_URL is a configuration error')
  t.match(noDb.stderr, /DATABASE_URL/)
})
