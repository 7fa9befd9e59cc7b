import { copyFile, link, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePorts, packagedNativeDir, startPostgres } from '@commons/infra'
import pg from 'pg'
import t from 'tap'

const isRoot = process.getuid?.() === 0

/** Mirrors `from` into `to` with hard links (a copy across file systems): a checkout's binaries, cheaply. */
async function mirror(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await mirror(source, target)
    else await link(source, target).catch(() => copyFile(source, target))
  }
}

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

/** The process group of `pid`, from /proc (field 5 of stat, after the parenthesised command name). */
async function processGroupOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
}

t.test(
  'as root, embedded Postgres starts from a checkout in a 0700 folder, in a process group of its own',
  { skip: isRoot ? false : 'runs only as root: the postgres user and the 0700 folder matter only then' },
  async (t) => {
    // mkdtemp folders are 0700, like /root: the postgres user can traverse neither.
    const home = await mkdtemp(path.join(tmpdir(), 'commons-private-'))
    t.teardown(() => rm(home, { recursive: true, force: true }))
    t.equal((await stat(home)).mode & 0o777, 0o700)
    const checkout = path.join(home, 'checkout')
    const binaries = path.join(checkout, 'node_modules', 'postgres-native')
    await mirror(packagedNativeDir(), binaries)
    const dataDir = path.join(checkout, '.data')
    const [port] = (await freePorts(1)) as [number]
    const lines: string[] = []

    const server = await startPostgres({ dataDir, port, binaries, log: (line) => lines.push(line) })
    t.teardown(() => server.stop())
    const rows = await query(server.url, 'SELECT current_user AS "user", 1 + 1 AS two')
    t.same(rows, [{ user: 'commons', two: 2 }])
    t.not(await processGroupOf(server.pid), await processGroupOf(process.pid), 'not in the launcher’s group')
    t.ok(
      lines.some((line) => line.includes(`cannot traverse ${home}`)),
      'says which folder was out of reach and where things went instead',
    )

    const link = path.join(dataDir, 'postgres')
    t.ok((await lstat(link)).isSymbolicLink(), '<dataDir>/postgres links to the cluster placed outside')
    const outside = path.dirname(await readlink(link))
    t.teardown(() => rm(outside, { recursive: true, force: true }))
    await query(server.url, 'CREATE TABLE kept (id int)')
    await server.stop()

    // The persistent cluster is found again through the link on the next start.
    const again = await startPostgres({ dataDir, port, binaries })
    t.same(await query(again.url, 'SELECT count(*)::int AS n FROM kept'), [{ n: 0 }], 'same cluster after a restart')
    await again.stop()

    // Removing the data directory resets the cluster, as it does where the postgres user can reach it.
    await rm(dataDir, { recursive: true, force: true })
    const fresh = await startPostgres({ dataDir, port, binaries, persistent: false })
    const tables = await query(fresh.url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'kept'")
    t.same(tables, [{ n: 0 }], 'a fresh cluster after rm -rf of the data directory')
    await fresh.stop()
    await t.rejects(stat(outside), { code: 'ENOENT' }, 'a throwaway cluster leaves nothing outside')
  },
)
